#!/usr/bin/env bash
# Custom rules benchmark (issue 17): `mailsift bench --compare` over the SpamAssassin corpus, the stock configuration
# against the stock one plus bench/policy-config/local.d (20 multimap rules with their maps; regexp rules and
# composites), measured in turns in one JVM so a busy machine weighs on both alike. DNS checks are off on both sides
# (--no-dns): what is measured is the rules' own cost. Target: the policy keeps at least 75% of the throughput.
#
#   scripts/bench-policy.sh                 # SECONDS_PER_RUN=10, THREADS=cores
#   SECONDS_PER_RUN=20 THREADS=2 scripts/bench-policy.sh
#
# Needs a built ./mailsift and the corpus (MAILSIFT_CORPUS, default /work/shared/corpus/sa).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
CORPUS=${MAILSIFT_CORPUS:-/work/shared/corpus/sa}
SECS=${SECONDS_PER_RUN:-10}; THREADS=${THREADS:-$(nproc)}
[ -d "$CORPUS/ham" ] || { echo "bench-policy: SKIP (no corpus at $CORPUS)"; exit 0; }
work=$(mktemp -d /tmp/mailsift-bench-policy.XXXXXX)
trap 'rm -rf "$work"' EXIT

cp -r "$root/etc" "$work/stock"
cp -r "$root/etc" "$work/policy"
cp -r "$root/bench/policy-config/local.d/." "$work/policy/local.d/"
"$root/mailsift" configtest -c "$work/policy"
"$root/mailsift" bench -c "$work/stock" --compare "$work/policy" --no-dns --seconds "$SECS" --threads "$THREADS" \
    --ip 203.0.113.7 --helo mail.bench.test --from sender@bench.test "$CORPUS/ham" "$CORPUS/spam"

#!/usr/bin/env bash
# DNS checks benchmark (issue 13): `mailsift bench` over the SpamAssassin corpus with the DNS lists and hostname
# checks off (--no-dns) and on, the resolver asking Debian's dnsmasq on loopback, authoritative for every stock
# list zone (so every lookup gets a real NXDOMAIN answer, as for clean mail) and warmed by one pass over the corpus.
# Prints both throughputs and the drop. Target: at most 15% with a warm cache.
#
#   scripts/bench-dns.sh                 # SECONDS_PER_RUN=10, THREADS=cores
#   SECONDS_PER_RUN=20 THREADS=2 scripts/bench-dns.sh
#
# Needs root (dnsmasq), dnsmasq-base, a built ./mailsift, and the corpus (MAILSIFT_CORPUS, default ../shared/corpus/sa).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
CORPUS=${MAILSIFT_CORPUS:-/work/shared/corpus/sa}
SECS=${SECONDS_PER_RUN:-10}; THREADS=${THREADS:-$(nproc)}
[ -d "$CORPUS/ham" ] || { echo "bench-dns: SKIP (no corpus at $CORPUS)"; exit 0; }
command -v dnsmasq >/dev/null || { echo "bench-dns: apt-get install dnsmasq-base" >&2; exit 1; }
work=$(mktemp -d /tmp/mailsift-bench-dns.XXXXXX); dns_pid=""
cleanup() { [ -n "$dns_pid" ] && kill "$dns_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
zones=$(grep -o 'rbl = "[^"]*"' "$root/etc/rbl.conf" | cut -d'"' -f2 | sort -u | sed 's/^/--auth-zone=/')
# the corpus' own domains (DMARC records, DKIM keys, SPF of the senders...): authoritative for their top-level
# domains too, so every name gets a definite answer (NXDOMAIN) that is cached, as from a real resolver; outside
# its zones dnsmasq answers REFUSED, which is a server failure (cached 30 s only)
tlds=$(grep -rhoaE '@[A-Za-z0-9.-]+\.[A-Za-z]{2,12}' "$CORPUS" | sed 's/.*\.//' | tr 'A-Z' 'a-z' | sort -u \
       | grep -vx 'test' | sed 's/^/--auth-zone=/')
# shellcheck disable=SC2086
dnsmasq --keep-in-foreground --port="$port" --listen-address=127.0.0.1 --bind-interfaces --no-resolv --no-hosts \
    --no-poll --user=root --group=root --conf-file=/dev/null --pid-file="$work/pid" --log-facility="$work/log" \
    --auth-server=ns.bench.test,127.0.0.1 --auth-ttl=3600 $zones $tlds --auth-zone=bench.test,203.0.113.0/24 \
    --host-record=mail.bench.test,203.0.113.7 & dns_pid=$!

cp -r "$root/etc" "$work/etc"
printf 'dns { nameserver = ["127.0.0.1:%s"]; cache_size = 400000; }\n' "$port" > "$work/etc/local.d/options.inc"
m="$root/mailsift"
args=(bench -c "$work/etc" --seconds "$SECS" --threads "$THREADS" --ip 203.0.113.7 --helo mail.bench.test
      --from sender@bench.test "$CORPUS/ham" "$CORPUS/spam")
echo "== DNS checks off"; "$m" "${args[@]}" --no-dns | tee "$work/off"
echo "== DNS checks on (warm cache)"; "$m" "${args[@]}" | tee "$work/on"
python3 - "$work/off" "$work/on" <<'PY'
import re, sys
def rates(p):
    t = open(p).read()
    return [float(x) for x in re.findall(r"threads?:\s+(\d+) messages/s", t)]
off, on = rates(sys.argv[1]), rates(sys.argv[2])
for name, a, b in zip(["1 thread", "all threads"], off, on):
    print(f"{name}: off {a:.0f}/s, on {b:.0f}/s, drop {100 * (1 - b / a):.1f}%")
PY

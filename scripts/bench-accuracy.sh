#!/usr/bin/env bash
# Accuracy where users feel it, measured as a new user would: learn the training half through the CLI, scan the test
# half through the CLI, count what lands in Junk.
#
#   scripts/bench-accuracy.sh [CORPUS]            # default: ../shared/corpus/sa (ham/ and spam/, one message per file)
#   SEEDS=20 scripts/bench-accuracy.sh CORPUS     # also the in-process action table over seeds 1..20 (mean, worst)
#   MAILSIFT_DIST=agent/target/mailsift scripts/bench-accuracy.sh   # use this distribution tree as it is
#
# Split exactly as the evaluators split: per class, Python's random.Random(seed).shuffle(sorted(file names)), the
# first floor(n/2) train, the rest test (CLI_SEEDS, default "1"), plus the chronological split (file name order,
# first half trains). Each split: `mailsift learn-spam|learn-ham --dbdir DB FILES...` (500 files per call), then
# `mailsift scan --json --dbdir DB FILES...`. "Flagged" = action add header, rewrite subject or reject (X-Spam: Yes,
# the shipped Sieve files it into Junk). Bayes (1-AUC)% ranks by the Bayes evidence of the same scans.
# Then, with SEEDS > 0, `mailsift bayes-eval --seeds SEEDS` gives the same measures in process over many splits.
set -euo pipefail

root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
CORPUS=$(readlink -f "${1:-$root/../shared/corpus/sa}")
CLI_SEEDS=${CLI_SEEDS:-1}
SEEDS=${SEEDS:-0}
[ -d "$CORPUS/ham" ] && [ -d "$CORPUS/spam" ] || { echo "bench-accuracy: $CORPUS needs ham/ and spam/ folders" >&2; exit 1; }
command -v python3 >/dev/null || { echo "bench-accuracy: python3 is needed for the split and the figures" >&2; exit 1; }

if [ -z "${MAILSIFT_DIST:-}" ]; then
    "$root/mailsift" --help >/dev/null   # builds the distribution when sources are newer
    MAILSIFT_DIST=$root/agent/target/mailsift
fi
mailsift=$MAILSIFT_DIST/bin/mailsift
work=$(mktemp -d /tmp/mailsift-accuracy.XXXXXX)
trap 'rm -rf "$work"' EXIT

# writes $work/{train,test}-{ham,spam}.list for one split
split() {
    python3 - "$CORPUS" "$1" "$work" <<'EOF'
import os, random, sys
corpus, how, work = sys.argv[1], sys.argv[2], sys.argv[3]
for c in ("ham", "spam"):
    names = sorted(n for n in os.listdir(os.path.join(corpus, c)) if os.path.isfile(os.path.join(corpus, c, n)))
    if how != "chronological":
        random.Random(int(how)).shuffle(names)
    half = len(names) // 2
    for part, chosen in (("train", names[:half]), ("test", names[half:])):
        with open(os.path.join(work, f"{part}-{c}.list"), "w") as f:
            f.writelines(os.path.join(corpus, c, n) + "\n" for n in chosen)
EOF
}

run_split() {
    local how=$1 db=$work/db-$1
    split "$how"
    rm -rf "$db"
    local t0 t1 t2
    t0=$(date +%s.%N)
    xargs -a "$work/train-spam.list" -n 500 "$mailsift" learn-spam --dbdir "$db" > "$work/learn.log" 2>> "$work/mailsift.log"
    xargs -a "$work/train-ham.list" -n 500 "$mailsift" learn-ham --dbdir "$db" >> "$work/learn.log" 2>> "$work/mailsift.log"
    t1=$(date +%s.%N)
    : > "$work/scan-ham.json"; : > "$work/scan-spam.json"
    xargs -a "$work/test-ham.list" -n 500 "$mailsift" scan --json --dbdir "$db" >> "$work/scan-ham.json" 2>> "$work/mailsift.log"
    xargs -a "$work/test-spam.list" -n 500 "$mailsift" scan --json --dbdir "$db" >> "$work/scan-spam.json" 2>> "$work/mailsift.log"
    t2=$(date +%s.%N)
    python3 - "$work" "$how" "$t0" "$t1" "$t2" <<'EOF'
import json, sys
work, how, t0, t1, t2 = sys.argv[1], sys.argv[2], *map(float, sys.argv[3:])
def load(c):
    return [json.loads(l) for l in open(f"{work}/scan-{c}.json") if l.strip()]
ham, spam = load("ham"), load("spam")
flag = {"add header", "rewrite subject", "reject"}
def rate(rows, pred): return 100.0 * sum(1 for r in rows if pred(r)) / max(1, len(rows))
def evidence(r):
    b = r.get("bayes", {})
    return b.get("evidence", 0.0) if "silent" not in b else 0.0
h = [evidence(r) for r in ham]; s = [evidence(r) for r in spam]
# (1-AUC): share of (ham, spam) pairs ranked the wrong way, ties half
allv = sorted([(v, 0) for v in h] + [(v, 1) for v in s]); rank_sum = 0.0; i = 0
while i < len(allv):
    j = i
    while j + 1 < len(allv) and allv[j + 1][0] == allv[i][0]: j += 1
    r = (i + j) / 2 + 1
    rank_sum += sum(r for k in range(i, j + 1) if allv[k][1] == 1); i = j + 1
auc = (rank_sum - len(s) * (len(s) + 1) / 2) / (len(s) * len(h))
hs = sorted(h, reverse=True); k = int(len(hs) * 0.001); thr = hs[k] if k < len(hs) else float("-inf")
missed = 100.0 * sum(1 for v in s if v <= thr) / len(s)
n_train = sum(1 for _ in open(f"{work}/train-ham.list")) + sum(1 for _ in open(f"{work}/train-spam.list"))
print(f"| {how if how == 'chronological' else 'seed ' + how} | {rate(spam, lambda r: r['action'] in flag):.2f} | "
      f"{rate(ham, lambda r: r['action'] in flag):.3f} ({sum(1 for r in ham if r['action'] in flag)} of {len(ham)}) | "
      f"{rate(spam, lambda r: r['action'] == 'reject'):.2f} | {rate(ham, lambda r: r['action'] == 'reject'):.3f} | "
      f"{100 * (1 - auc):.4f} | {missed:.2f} | {n_train / (t1 - t0):.0f} | {(len(ham) + len(spam)) / (t2 - t1):.0f} |")
EOF
}

echo "Corpus $CORPUS, distribution $MAILSIFT_DIST"
echo "Through the CLI (learn-spam/learn-ham, then scan --json; msg/s include a JVM start per 500 files):"
echo "| split | spam flagged % | ham flagged % | spam rejected % | ham rejected % | Bayes (1-AUC)% | Bayes spam missed @<=0.1% ham | learn msg/s | scan msg/s |"
echo "|---|---|---|---|---|---|---|---|---|"
for s in $CLI_SEEDS chronological; do
    run_split "$s"
done
if [ "$SEEDS" -gt 0 ]; then
    echo
    echo "In process over seeds 1..$SEEDS and the chronological split (mailsift bayes-eval --seeds $SEEDS):"
    "$mailsift" bayes-eval --seeds "$SEEDS" --mode both "$CORPUS"
fi

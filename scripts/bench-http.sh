#!/usr/bin/env bash
# Scan throughput through the HTTP worker with the real rspamc in parallel (rspamc -n $PAR), mailsift against Rspamd 3.4
# in the same run, with Bayes active on both (the same LEARN+LEARN messages learned first, Learn-Type: bulk).
#
#   scripts/bench-http.sh                 # N=1000 ham + 1000 spam from the shared SA corpus, PAR=8, RUNS=3
#   N=500 RUNS=1 scripts/bench-http.sh    # quicker
#   RSPAMD=no scripts/bench-http.sh       # mailsift only
#   MAILSIFT_DIST=agent/target/mailsift scripts/bench-http.sh   # use this distribution tree as it is (no rebuild)
#
# Rspamd (when installed) is started privately for the run with the peers' configuration (/work/shared/docs/peers:
# offline modules disabled, stub DNS) on its own ports, Redis and DNS stub (RP=234: 23433, 23479, 23453), then stopped.
# Prints msg/s per run, the medians, and the ratio mailsift / Rspamd.
set -euo pipefail

root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
CORPUS_SRC=${CORPUS_SRC:-$root/../shared/corpus/sa}
PEERS=${PEERS:-$root/../shared/docs/peers}
N=${N:-1000}; LEARN=${LEARN:-500}; PAR=${PAR:-8}; RUNS=${RUNS:-3}; RSPAMD=${RSPAMD:-auto}
NPORT=${NPORT:-22333}; CPORT=${CPORT:-22334}; MPORT=${MPORT:-22332}
work=$(mktemp -d /tmp/mailsift-bench.XXXXXX); chmod 755 "$work"   # Rspamd workers run as _rspamd
mailsift_pid=""

cleanup() {
    if [ -n "$mailsift_pid" ]; then kill "$mailsift_pid" 2>/dev/null || true; wait "$mailsift_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

command -v rspamc >/dev/null || { echo "bench-http: rspamc is needed (apt-get install rspamd)" >&2; exit 1; }
[ -d "$CORPUS_SRC/ham" ] || { echo "bench-http: corpus not found at $CORPUS_SRC" >&2; exit 1; }

echo "== corpus: $N ham + $N spam (mbox From_ lines stripped), learn set $LEARN + $LEARN, rspamc -n $PAR"
python3 - "$CORPUS_SRC" "$work" "$N" "$LEARN" <<'PY'
import os, sys
src, d, n, nl = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
for cls in ("ham", "spam"):
    os.makedirs(f"{d}/scan/{cls}"); os.makedirs(f"{d}/learn/{cls}")
    files = sorted(os.listdir(f"{src}/{cls}")); step = len(files) / n
    picked = [files[int(i * step)] for i in range(n)]
    for i, f in enumerate(picked):
        b = open(f"{src}/{cls}/{f}", "rb").read()
        if b.startswith(b"From "): b = b.split(b"\n", 1)[1]
        open(f"{d}/scan/{cls}/{f}", "wb").write(b)
        if i < nl: open(f"{d}/learn/{cls}/{f}", "wb").write(b)
PY
total=$((2 * N))

now() { date +%s.%N; }
# scan_rate HOSTPORT -> prints msg/s of one pass over scan/{ham,spam}
scan_rate() {
    local s e
    s=$(now)
    rspamc -n "$PAR" -h "$1" "$work/scan/ham" "$work/scan/spam" > "$work/scan.out" 2>&1 || true
    e=$(now)
    local ok; ok=$(grep -c '^Action:' "$work/scan.out" || true)
    [ "$ok" -eq "$total" ] || echo "   (warning: $ok of $total scans answered)" >&2
    echo "scale=1; $total / ($e - $s)" | bc
}
learn_all() { # HOSTPORT [password args...]
    local hp=$1; shift
    rspamc -n "$PAR" -h "$hp" "$@" --header "Learn-Type: bulk" learn_spam "$work/learn/spam" > "$work/learn.out" 2>&1 || true
    rspamc -n "$PAR" -h "$hp" "$@" --header "Learn-Type: bulk" learn_ham "$work/learn/ham" >> "$work/learn.out" 2>&1 || true
    echo "   learned: $(grep -c 'success = true' "$work/learn.out" || true) of $((2 * LEARN))"
}
actions() { grep '^Action' "$work/scan.out" | sort | uniq -c | awk '{$1=$1};1' | sed 's/Action: //' | tr '\n' ';'; }
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
bench() { # NAME HOSTPORT -> sets last_median
    local rates=""
    scan_rate "$2" >/dev/null   # warm-up (JIT, caches)
    for i in $(seq 1 "$RUNS"); do
        r=$(scan_rate "$2"); rates="$rates $r"
        echo "   $1 run $i: $total msgs, $r msg/s; actions: $(grep '^Action' "$work/scan.out" | sort | uniq -c | awk '{$1=$1};1' | tr '\n' ';')"
    done
    last_median=$(echo "$rates" | median)
    echo "   $1 median: $last_median msg/s; Bayes symbols in last run: $(grep -cE 'Symbol: BAYES_(SPAM|HAM)' "$work/scan.out" || true)"
}

# --- mailsift -------------------------------------------------------------------------------------------------
echo "== mailsift: private config in $work/etc, data in $work/db"
cp -r "$root/etc" "$work/etc"
mkdir -p "$work/etc/override.d" "$work/db"
echo "bind_socket = \"127.0.0.1:$NPORT\";" > "$work/etc/override.d/worker-normal.inc"
printf 'bind_socket = "127.0.0.1:%s";\nsecure_ip = "127.0.0.1";\nsecure_ip_writes = "learn";\n' "$CPORT" > "$work/etc/override.d/worker-controller.inc"
printf 'bind_socket = "127.0.0.1:%s";\nmilter = yes;\n' "$MPORT" > "$work/etc/override.d/worker-proxy.inc"
# a snapshot of the distribution, so a rebuild in the working tree cannot change it under the benchmark
if [ -z "${MAILSIFT_DIST:-}" ]; then
    "$root/mailsift" --help >/dev/null 2>&1 || { echo "bench-http: ./mailsift does not build" >&2; exit 1; }
    MAILSIFT_DIST="$root/agent/target/mailsift"
fi
cp -r "$MAILSIFT_DIST" "$work/dist"
"$work/dist/bin/mailsift" run -c "$work/etc" --dbdir "$work/db" > "$work/mailsift.log" 2>&1 &
mailsift_pid=$!
for _ in $(seq 1 150); do
    curl -sf "http://127.0.0.1:$NPORT/ping" >/dev/null 2>&1 && break
    kill -0 "$mailsift_pid" 2>/dev/null || { echo "mailsift exited:"; tail -20 "$work/mailsift.log"; exit 1; }
    sleep 0.2
done
curl -sf "http://127.0.0.1:$NPORT/ping" >/dev/null || { echo "mailsift did not start:"; tail -20 "$work/mailsift.log"; exit 1; }
learn_all "127.0.0.1:$CPORT"
rspamc -h "127.0.0.1:$CPORT" stat | grep -E '^Statfile: BAYES_(SPAM|HAM) type' | sed 's/^/   /'
scan_rate "127.0.0.1:$NPORT" >/dev/null   # warm-up (JIT, caches)

# --- Rspamd 3.4 -----------------------------------------------------------------------------------------------
if [ "$RSPAMD" = no ] || ! command -v rspamd >/dev/null || [ ! -d "$PEERS/rspamd-conf" ]; then
    echo "== Rspamd: skipped"
    bench mailsift "127.0.0.1:$NPORT"
    exit 0
fi
# a private instance: the peers' configuration with our own ports, Redis and stub DNS, so nobody else's is touched
RP=${RP:-234}   # ports ${RP}32..${RP}35, Redis ${RP}79, DNS ${RP}53
R="$work/rspamd"; mkdir -p "$R/db" "$R/run" "$R/log" "$R/redis"
cp -r "$PEERS/rspamd-conf" "$R/conf"
grep -rl '213[0-9][0-9]\|21053' "$R/conf" | xargs sed -i -e "s/127.0.0.1:213\([0-9][0-9]\)/127.0.0.1:${RP}\1/g" -e "s/21053/${RP}53/g"
chown -R _rspamd:_rspamd "$R"
python3 "$PEERS/stubdns.py" "${RP}53" > "$R/log/stubdns.log" 2>&1 & dns_pid=$!
redis-server --bind 127.0.0.1 --port "${RP}79" --save '' --appendonly no --dir "$R/redis" --daemonize no \
    > "$R/log/redis.log" 2>&1 & redis_pid=$!
trap 'kill $dns_pid $redis_pid 2>/dev/null; [ -f "$R/run/rspamd.pid" ] && kill "$(cat "$R/run/rspamd.pid")" 2>/dev/null; sleep 1; cleanup' EXIT
VARS="--var=LOCAL_CONFDIR=$R/conf --var=DBDIR=$R/db --var=RUNDIR=$R/run --var=LOGDIR=$R/log"
# shellcheck disable=SC2086
rspamd -c /etc/rspamd/rspamd.conf $VARS -u _rspamd -g _rspamd -p "$R/run/rspamd.pid" >/dev/null 2>&1
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:${RP}33/ping" >/dev/null 2>&1 && break; sleep 0.2; done
echo "== Rspamd $(rspamc --help 2>&1 | grep -oE 'version [0-9.]+' | head -1) on ${RP}33 (peers config, offline modules disabled, Redis ${RP}79)"
sleep 15   # hyperscan compile in hs_helper
learn_all "127.0.0.1:${RP}34" -P peers-secret
sleep 12   # Rspamd refreshes its statfile counts every few seconds
rspamc -h "127.0.0.1:${RP}34" -P peers-secret stat | grep -E '^Statfile' | sed 's/^/   /'
scan_rate "127.0.0.1:${RP}33" >/dev/null   # warm-up

# interleaved, so both see the same background load on a shared box
echo "== scans, alternating mailsift and Rspamd ($RUNS runs each)"
m_rates=""; r_rates=""
for i in $(seq 1 "$RUNS"); do
    r=$(scan_rate "127.0.0.1:$NPORT"); m_rates="$m_rates $r"
    echo "   mailsift run $i: $total msgs, $r msg/s, load $(cut -d' ' -f1 /proc/loadavg); actions: $(actions)"
    m_bayes=$(grep -cE 'Symbol: BAYES_(SPAM|HAM)' "$work/scan.out" || true)
    r=$(scan_rate "127.0.0.1:${RP}33"); r_rates="$r_rates $r"
    echo "   rspamd   run $i: $total msgs, $r msg/s, load $(cut -d' ' -f1 /proc/loadavg); actions: $(actions)"
    r_bayes=$(grep -cE 'Symbol: BAYES_(SPAM|HAM)' "$work/scan.out" || true)
done
mailsift_rate=$(echo "$m_rates" | median); rspamd_rate=$(echo "$r_rates" | median)
echo "   messages with a BAYES_SPAM/BAYES_HAM symbol in the last run: mailsift $m_bayes, Rspamd $r_bayes of $total"
echo "   mailsift RSS: $(ps -o rss= -p "$mailsift_pid" | awk '{printf "%.0f MiB", $1/1024}')"

echo "== result: mailsift $mailsift_rate msg/s, Rspamd $rspamd_rate msg/s, ratio $(echo "scale=2; $mailsift_rate / $rspamd_rate" | bc)x (target >= 2x)"

#!/usr/bin/env bash
# Milter benchmark: the same messages through one private Postfix three ways in one run -- no milter, mailsift's
# milter, Rspamd 3.4's milter (its proxy worker in milter mode, self-scan) -- interleaved so all three see the same
# background load. Prints, per way: SMTP acceptance rate with parallel sessions (smtp-source synthetic messages and the
# SpamAssassin corpus), the per-message overhead against no milter, and the one-session latency (ms/msg).
#
#   scripts/bench-milter.sh                  # RUNS=3, M=2000 synthetic, N=500 ham + 500 spam, LAT=200, S=20 sessions
#   RUNS=1 M=1000 N=200 scripts/bench-milter.sh
#   RSPAMD=no scripts/bench-milter.sh        # without Rspamd
#   MAILSIFT_DIST=agent/target/mailsift scripts/bench-milter.sh   # use this distribution tree as it is (no rebuild)
#   KEEP=1 scripts/bench-milter.sh           # keep the work directory (logs, maillog) afterwards
#
# Needs root (Postfix's master starts as root), postfix (smtp-source), python3, and a built ./mailsift. Postfix
# hands every accepted message to the discard transport: what is measured is SMTP + milter, not disk delivery.
# Targets (issue 3): mailsift >= 2x Rspamd's milter throughput; one-session latency <= 10 ms/msg.
set -euo pipefail

root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
CORPUS_SRC=${CORPUS_SRC:-$root/../shared/corpus/sa}
PEERS=${PEERS:-$root/../shared/docs/peers}
RUNS=${RUNS:-3}; M=${M:-2000}; S=${S:-20}; N=${N:-500}; LAT=${LAT:-200}; RSPAMD=${RSPAMD:-auto}
SPORT=${SPORT:-22525}; MPORT=${MPORT:-22332}; NPORT=${NPORT:-22333}; CPORT=${CPORT:-22334}; RP=${RP:-235}
work=$(mktemp -d /tmp/mailsift-bench-milter.XXXXXX); chmod 755 "$work"
P="$work/postfix"; mailsift_pid=""; dns_pid=""; redis_pid=""

cleanup() {
    postfix -c "$P/etc" stop >/dev/null 2>&1 || true
    if [ -n "$mailsift_pid" ]; then kill "$mailsift_pid" 2>/dev/null || true; wait "$mailsift_pid" 2>/dev/null || true; fi
    if [ -f "$work/rspamd/run/rspamd.pid" ]; then kill "$(cat "$work/rspamd/run/rspamd.pid")" 2>/dev/null || true; fi
    for p in $dns_pid $redis_pid; do kill "$p" 2>/dev/null || true; done
    sleep 1
    if [ "${KEEP:-}" = 1 ]; then echo "(kept $work)"; else rm -rf "$work"; fi
}
trap cleanup EXIT

[ "$(id -u)" = 0 ] || { echo "bench-milter: run as root (Postfix's master daemon)" >&2; exit 1; }
command -v postfix >/dev/null && command -v smtp-source >/dev/null || { echo "bench-milter: apt-get install postfix" >&2; exit 1; }

# --- messages -------------------------------------------------------------------------------------------------
python3 - "$CORPUS_SRC" "$work/msgs" "$N" "$LAT" <<'PY'
import os, sys
src, d, n, lat = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
os.makedirs(f"{d}/corpus"); os.makedirs(f"{d}/lat")
def body(i):
    return ("From: Carol <carol@sender.test>\r\nTo: Alice <alice@example.test>\r\nSubject: bench %d\r\n"
            "Message-ID: <bench.%d@sender.test>\r\nDate: Sat, 21 Nov 2026 20:00:00 +0000\r\n\r\n" % (i, i)
            + "A small synthetic message line for the latency run, nothing more.\r\n" * 30).encode()
have = os.path.isdir(f"{src}/ham")
for cls in ("ham", "spam"):
    if not have: break
    files = sorted(os.listdir(f"{src}/{cls}")); step = len(files) / n
    for i in range(n):
        f = files[int(i * step)]; b = open(f"{src}/{cls}/{f}", "rb").read()
        if b.startswith(b"From "): b = b.split(b"\n", 1)[1]
        open(f"{d}/corpus/{cls}-{f}", "wb").write(b)
        if i < lat // 2: open(f"{d}/lat/{cls}-{f}", "wb").write(b)
if not have:
    for i in range(lat): open(f"{d}/lat/syn-{i}", "wb").write(body(i))
print("== messages: %s; latency set %d" % (f"{2*n} from the SA corpus" if have else "no corpus (synthetic only)",
                                           len(os.listdir(f"{d}/lat"))))
PY

# an SMTP sender: -c sessions in parallel, each sending many messages; prints "<sent> <accepted> <rejected> <tempfail> <seconds>"
cat > "$work/send.py" <<'PY'
import smtplib, sys, os, time, threading, queue
port, conc, dirs = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
files = [os.path.join(d, f) for d in dirs for f in sorted(os.listdir(d))]
q = queue.Queue(); [q.put(open(f, "rb").read()) for f in files]
stats = {"ok": 0, "rej": 0, "tmp": 0}; lock = threading.Lock()
def worker():
    s = smtplib.SMTP("127.0.0.1", port, timeout=120); s.ehlo("bench.sender.test")
    while True:
        try: data = q.get_nowait()
        except queue.Empty: break
        try: s.sendmail("carol@sender.test", ["alice@example.test"], data); k = "ok"
        except smtplib.SMTPResponseException as e:
            k = "rej" if e.smtp_code >= 500 else "tmp"
            try: s.rset()
            except Exception: s = smtplib.SMTP("127.0.0.1", port, timeout=120); s.ehlo("bench.sender.test")
        with lock: stats[k] += 1
    s.quit()
t0 = time.time(); th = [threading.Thread(target=worker) for _ in range(conc)]; [t.start() for t in th]; [t.join() for t in th]
print(len(files), stats["ok"], stats["rej"], stats["tmp"], "%.3f" % (time.time() - t0))
PY

# --- Postfix --------------------------------------------------------------------------------------------------
# the tests' one Postfix template (scripts/lib/postfix-config.sh); every accepted message to the discard transport
# shellcheck source=lib/postfix-config.sh
. "$root/scripts/lib/postfix-config.sh"
if [ -z "${MAILSIFT_DIST:-}" ]; then
    "$root/mailsift" --help >/dev/null 2>&1 || { echo "bench-milter: ./mailsift does not build" >&2; exit 1; }
    MAILSIFT_DIST="$root/agent/target/mailsift"
fi
postfix_test_config "$P" "$SPORT" bench-milter --set virtual_mailbox_maps=static:OK \
    --set virtual_transport=discard:benchmark --set milter_default_action=tempfail \
    || { echo "bench-milter: cannot write Postfix's configuration" >&2; exit 1; }
postfix -c "$P/etc" start >/dev/null 2>&1 || { echo "bench-milter: postfix did not start"; tail "$P/maillog"; exit 1; }
for _ in $(seq 1 100); do (echo > "/dev/tcp/127.0.0.1/$SPORT") 2>/dev/null && break; sleep 0.1; done
echo "== Postfix $(postconf -d -h mail_version) on 127.0.0.1:$SPORT (discard transport)"

# --- mailsift -------------------------------------------------------------------------------------------------
cp -r "$MAILSIFT_DIST" "$work/dist"   # a snapshot: a rebuild in the working tree cannot change it mid-run
cp -r "$root/etc" "$work/etc"; mkdir -p "$work/etc/override.d" "$work/db"
printf 'bind_socket = "127.0.0.1:%s";\n' "$NPORT" > "$work/etc/override.d/worker-normal.inc"
printf 'bind_socket = "127.0.0.1:%s";\n' "$CPORT" > "$work/etc/override.d/worker-controller.inc"
printf 'bind_socket = "127.0.0.1:%s";\nmilter = yes;\ntimeout = 120s;\n' "$MPORT" > "$work/etc/override.d/worker-proxy.inc"
"$work/dist/bin/mailsift" run -c "$work/etc" --dbdir "$work/db" > "$work/mailsift.log" 2>&1 &
mailsift_pid=$!
for _ in $(seq 1 150); do
    (echo > "/dev/tcp/127.0.0.1/$MPORT") 2>/dev/null && break
    kill -0 "$mailsift_pid" 2>/dev/null || { echo "mailsift exited:"; tail -20 "$work/mailsift.log"; exit 1; }
    sleep 0.2
done
(echo > "/dev/tcp/127.0.0.1/$MPORT") 2>/dev/null || { echo "mailsift's milter did not start:"; tail -20 "$work/mailsift.log"; exit 1; }
echo "== mailsift milter on 127.0.0.1:$MPORT ($(basename "$MAILSIFT_DIST"), log $work/mailsift.log)"
MODES="none mailsift"

# --- Rspamd 3.4 (a private instance with the peers' configuration: offline modules off, stub DNS) ---------------
if [ "$RSPAMD" != no ] && command -v rspamd >/dev/null && [ -d "$PEERS/rspamd-conf" ] && command -v redis-server >/dev/null; then
    R="$work/rspamd"; mkdir -p "$R/db" "$R/run" "$R/log" "$R/redis"
    cp -r "$PEERS/rspamd-conf" "$R/conf"
    grep -rl '213[0-9][0-9]\|21053' "$R/conf" | xargs sed -i -e "s/127.0.0.1:213\([0-9][0-9]\)/127.0.0.1:${RP}\1/g" -e "s/21053/${RP}53/g"
    chown -R _rspamd:_rspamd "$R"
    python3 "$PEERS/stubdns.py" "${RP}53" > "$R/log/stubdns.log" 2>&1 & dns_pid=$!
    redis-server --bind 127.0.0.1 --port "${RP}79" --save '' --appendonly no --dir "$R/redis" --daemonize no \
        > "$R/log/redis.log" 2>&1 & redis_pid=$!
    rspamd -c /etc/rspamd/rspamd.conf --var="LOCAL_CONFDIR=$R/conf" --var="DBDIR=$R/db" --var="RUNDIR=$R/run" \
        --var="LOGDIR=$R/log" -u _rspamd -g _rspamd -p "$R/run/rspamd.pid" >/dev/null 2>&1
    for _ in $(seq 1 100); do (echo > "/dev/tcp/127.0.0.1/${RP}32") 2>/dev/null && break; sleep 0.2; done
    echo "== Rspamd $(rspamd --version 2>/dev/null | grep -oE '[0-9]+\.[0-9.]+' | head -1) milter on 127.0.0.1:${RP}32; waiting 15 s for hyperscan"
    sleep 15
    MODES="$MODES rspamd"
else
    echo "== Rspamd: skipped"
fi

milters_for() { case $1 in none) echo "";; mailsift) echo "inet:127.0.0.1:$MPORT";; rspamd) echo "inet:127.0.0.1:${RP}32";; esac; }
use_mode() { postconf -c "$P/etc" -e "smtpd_milters = $(milters_for "$1")"; postfix -c "$P/etc" reload >/dev/null 2>&1; sleep 1; }
rate() { echo "scale=1; $1 / $2" | bc; }
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
declare -A syn cor lat
for m in $MODES; do syn[$m]=""; cor[$m]=""; lat[$m]=""; done

echo "== warm-up"
for m in $MODES; do
    use_mode "$m"
    # enough messages for the JVM's JIT to settle, so run 1 measures the steady state
    smtp-source -s "$S" -m "$((M / 2))" -l 2048 -f carol@sender.test -t alice@example.test 127.0.0.1:"$SPORT" >/dev/null 2>&1 || true
    [ -n "$(ls "$work/msgs/corpus" 2>/dev/null | head -1)" ] && python3 "$work/send.py" "$SPORT" "$S" "$work/msgs/corpus" >/dev/null
    python3 "$work/send.py" "$SPORT" 1 "$work/msgs/lat" >/dev/null
done

for i in $(seq 1 "$RUNS"); do
    for m in $MODES; do
        use_mode "$m"
        s=$(date +%s.%N)
        smtp-source -s "$S" -m "$M" -l 2048 -f carol@sender.test -t alice@example.test -M bench.sender.test 127.0.0.1:"$SPORT"
        e=$(date +%s.%N); r=$(rate "$M" "$(echo "$e - $s" | bc)"); syn[$m]="${syn[$m]} $r"
        line="   run $i $m: smtp-source $M x 2 KB, $S sessions: $r msg/s"
        if [ -n "$(ls "$work/msgs/corpus" 2>/dev/null | head -1)" ]; then
            read -r sent ok rej tmp secs < <(python3 "$work/send.py" "$SPORT" "$S" "$work/msgs/corpus")
            r=$(rate "$sent" "$secs"); cor[$m]="${cor[$m]} $r"
            line="$line | corpus $sent msgs: $r msg/s ($ok accepted, $rej rejected, $tmp tempfailed)"
        fi
        read -r sent ok rej tmp secs < <(python3 "$work/send.py" "$SPORT" 1 "$work/msgs/lat")
        l=$(echo "scale=2; 1000 * $secs / $sent" | bc); lat[$m]="${lat[$m]} $l"
        echo "$line | one session: $l ms/msg  (load $(cut -d' ' -f1 /proc/loadavg))"
    done
done

echo "== medians over $RUNS run(s)"
base_syn=$(echo "${syn[none]}" | median); base_cor=$(echo "${cor[none]:-0}" | median)
for m in $MODES; do
    ms=$(echo "${syn[$m]}" | median); ml=$(echo "${lat[$m]}" | median)
    out="   $m: synthetic $ms msg/s"
    [ "$m" != none ] && out="$out (overhead $(echo "scale=2; 1000 / $ms - 1000 / $base_syn" | bc) ms/msg)"
    if [ -n "${cor[$m]}" ]; then
        mc=$(echo "${cor[$m]}" | median); out="$out, corpus $mc msg/s"
        [ "$m" != none ] && out="$out (overhead $(echo "scale=2; 1000 / $mc - 1000 / $base_cor" | bc) ms/msg)"
    fi
    echo "$out, one-session latency $ml ms/msg"
done
if [[ " $MODES " == *" rspamd "* ]]; then
    a=$(echo "${syn[mailsift]}" | median); b=$(echo "${syn[rspamd]}" | median)
    out="== mailsift / Rspamd throughput: synthetic $(echo "scale=2; $a / $b" | bc)x"
    if [ -n "${cor[mailsift]}" ]; then
        a=$(echo "${cor[mailsift]}" | median); b=$(echo "${cor[rspamd]}" | median)
        out="$out, corpus $(echo "scale=2; $a / $b" | bc)x"
    fi
    echo "$out (target >= 2x)"
fi
echo "   mailsift RSS: $(ps -o rss= -p "$mailsift_pid" | awk '{printf "%.0f MiB", $1/1024}')"

#!/usr/bin/env bash
# Soak under faults, on loopback only (not part of CI):  scripts/soak.sh [MINUTES]   (default 10)
#
# Two daemons share one Redis (a: Postfix's milter and Dovecot's IMAPSieve learns, data dir on a 48 MB tmpfs;
# b: never touched, its RSS is the one measured). For MINUTES, at once: mail through Postfix's milter into Dovecot,
# HTTP scans and learns on both daemons, learns dropped into a's learn spool, and IMAP moves INBOX -> Junk in the test
# Dovecot (IMAPSieve -> mailsift-learn -> a, or a's spool while a is down). Every 60 s a fault cycle: Redis killed
# (SIGKILL) and restarted 15 s later, Dovecot restarted, mailsift a killed with SIGKILL and restarted, a's data-dir
# file system filled for 15 s. Then the queues drain and it prints: messages sent / delivered / tempfailed / lost,
# learns acknowledged / counted (and, message by message, whether each acknowledged learn is in the store: the same
# learn again must answer 208), RSS of b at start (after warm-up), peak and end, error lines in the daemon logs.
# Goals: nothing lost, every acknowledged learn counted once, memory at the end within 10% of after warm-up.
# Memory is judged on b's live heap after a full GC (a class histogram forces one) plus the JVM's native memory
# (NMT): RSS alone cannot tell a leak from G1 committing more of -Xmx as the heap fills, which it keeps committed
# (no periodic GC uncommits it), so RSS is shown but the verdict is live heap + non-heap committed memory.
# Needs root (private Postfix, Dovecot, a tmpfs mount), the corpus, and a built distribution (mvn -pl agent -am package).
set -uo pipefail
MINUTES=${1:-10}
export E2E_LIB_ONLY=1 E2E_DEB=0
# shellcheck source=e2e.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/e2e.sh"
[ -z "$SKIP_FLOW" ] || { echo "soak: skipped: $SKIP_FLOW"; exit 0; }
command -v redis-server >/dev/null 2>&1 || { echo "soak: skipped: redis-server is not installed"; exit 0; }
LOAD="python3 $ROOT/scripts/soak/load.py"
# a production-like heap, so RSS says something; NMT (summary: a few % overhead) for where native memory goes
export MAILSIFT_JAVA_OPTS="-Xmx384m -XX:NativeMemoryTracking=summary"
JCMD=${JAVA_HOME:+$JAVA_HOME/bin/}jcmd   # the JDK of the daemons (the launcher prefers $JAVA_HOME)
echo "soak: $MINUTES minute(s); work directory $W"

# --- Redis, the two daemons (a's data dir on a small tmpfs), Dovecot, Postfix ----------------------------------
FS=$W/a-fs
MOUNTED=0
# the fault loop runs in a subshell: the processes it restarts are recorded in files, for the clean-up here
soak_cleanup() {
    [ -n "${FAULTS_PID:-}" ] && kill "$FAULTS_PID" 2>/dev/null && wait "$FAULTS_PID" 2>/dev/null
    [ -n "${SAMPLER_PID:-}" ] && kill "$SAMPLER_PID" 2>/dev/null
    [ -f "$W/a.pid" ] && DAEMON_PID[a]=$(cat "$W/a.pid")
    [ -f "$W/redis.pid" ] && REDIS_PID=$(cat "$W/redis.pid")
    [ -f "$D/run/master.pid" ] && DOVECOT_PID=$(cat "$D/run/master.pid")
    local pid=${DAEMON_PID[a]:-}
    cleanup
    [ -n "$pid" ] && while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done   # not our child after a restart
    [ $MOUNTED = 1 ] && umount "$FS" 2>/dev/null
}
trap soak_cleanup EXIT
start_redis() {
    # durable as a production Redis that holds Bayes should be: every write in the AOF, fsynced, before the reply
    redis-server --bind 127.0.0.1 --port "$P_REDIS" --save '' --appendonly yes --appendfsync always --dir "$W/redis" --daemonize no \
        >>"$W/redis/redis.log" 2>&1 &
    REDIS_PID=$!
    echo "$REDIS_PID" > "$W/redis.pid"
    wait_port "$P_REDIS" 10
}
mkdir -p "$W/redis" "$FS"
start_redis || { echo "soak: redis did not start"; exit 1; }
mount -t tmpfs -o size=48m tmpfs "$FS" && MOUNTED=1 || { echo "soak: cannot mount a tmpfs (needs root)"; exit 1; }
make_conf a redis; make_conf b redis
DBDIR[a]=$FS/db; mkdir -p "${DBDIR[a]}"
# a's learn spool stays off the tmpfs: mailsift-learn must be able to queue while the data dir is full
SPOOL=$W/a-spool
mkdir -p "$SPOOL/new" "$SPOOL/tmp"; chown -R mail:mail "$SPOOL"
printf 'path = "%s";\ninterval = 1s;\n' "$SPOOL" > "${CONF[a]}/local.d/learn_spool.conf"
printf 'skip_local = false;\n' > "${CONF[b]}/local.d/milter_headers.conf"
start_daemon a && start_daemon b || { echo "soak: the daemons did not start: $(tail -n 5 "$W"/a/mailsift.log)"; exit 1; }
start_dovecot a || { echo "soak: dovecot did not start"; exit 1; }
cat > "$D/sieve-pipe/mailsift-learn" <<SH
#!/bin/sh
exec $D/mailsift-learn --url http://127.0.0.1:${CONTROLLER_PORT[a]} --spool $SPOOL --timeout 10 "\$@" 2>>$D/learn.log
SH
chmod 0755 "$D/sieve-pipe/mailsift-learn"
start_postfix "${MILTER_PORT[a]}" || { echo "soak: postfix did not start"; exit 1; }
learned() { # spam+ham learns in the shared Redis, as daemon b reports them
    $FLOW stat --url "http://127.0.0.1:${CONTROLLER_PORT[b]}" | python3 -c 'import json,sys; d=json.load(sys.stdin); print((d["spam"] or 0)+(d["ham"] or 0))'
}
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/${DAEMON_PID[b]}/status" 2>/dev/null; }
# memory_snapshot NAME: b's live objects after a full GC (the histogram forces one) and its NMT summary
memory_snapshot() {
    "$JCMD" "${DAEMON_PID[b]}" GC.class_histogram > "$W/histogram-$1.txt" 2>&1
    "$JCMD" "${DAEMON_PID[b]}" VM.native_memory summary > "$W/nmt-$1.txt" 2>&1
}
LEARNED0=$(learned)

# --- faults, every 60 s --------------------------------------------------------------------------------------------
faults() {
    local end=$(( $(date +%s) + MINUTES * 60 - 20 )) cycle=0
    sleep 20
    while [ "$(date +%s)" -lt "$end" ]; do
        cycle=$((cycle + 1))
        echo "$(date +%T) cycle $cycle: SIGKILL redis" >> "$W/faults.log"
        kill -KILL "$REDIS_PID" 2>/dev/null
        while kill -0 "$REDIS_PID" 2>/dev/null; do sleep 0.1; done
        sleep 15
        start_redis && echo "$(date +%T) redis back" >> "$W/faults.log"
        sleep 5
        echo "$(date +%T) restart dovecot" >> "$W/faults.log"
        kill -TERM "$(cat "$D/run/master.pid")" 2>/dev/null
        for ((i = 0; i < 100; i++)); do [ -f "$D/run/master.pid" ] || break; sleep 0.1; done
        dovecot -c "$D/dovecot.conf" >>"$D/start.log" 2>&1; wait_port "$P_IMAP" 10
        sleep 5
        echo "$(date +%T) SIGKILL mailsift a" >> "$W/faults.log"
        kill -KILL "${DAEMON_PID[a]}" 2>/dev/null
        while kill -0 "${DAEMON_PID[a]}" 2>/dev/null; do sleep 0.1; done
        start_daemon a && echo "${DAEMON_PID[a]}" > "$W/a.pid" && echo "$(date +%T) mailsift a back (pid ${DAEMON_PID[a]})" >> "$W/faults.log"
        sleep 5
        echo "$(date +%T) fill a's data dir" >> "$W/faults.log"
        dd if=/dev/zero of="$FS/fill" bs=1M 2>/dev/null; df -h "$FS" | tail -n 1 >> "$W/faults.log"
        sleep 15
        rm -f "$FS/fill"; echo "$(date +%T) data dir freed" >> "$W/faults.log"
        sleep 5
    done
}
faults &
FAULTS_PID=$!
sampler() {
    local t0
    t0=$(date +%s)
    while :; do
        echo "$(date +%s) $(rss_kb)" >> "$W/rss.log"
        # the warm-up snapshot, when the RSS figure after warm-up is taken
        [ -f "$W/nmt-warm.txt" ] || [ $(( $(date +%s) - t0 )) -lt 60 ] || memory_snapshot warm
        sleep 5
    done
}
sampler &
SAMPLER_PID=$!

# --- the load, then drain -------------------------------------------------------------------------------------------
$LOAD run --seconds $((MINUTES * 60)) --corpus "$CORPUS" --smtp "$P_SMTP" --imap "$P_IMAP" --spool "$SPOOL" --out "$W" \
    --scan-urls "http://127.0.0.1:${NORMAL_PORT[a]},http://127.0.0.1:${NORMAL_PORT[b]}" \
    --learn-urls "http://127.0.0.1:${CONTROLLER_PORT[a]},http://127.0.0.1:${CONTROLLER_PORT[b]}" > "$W/load.json"
wait "$FAULTS_PID" 2>/dev/null; FAULTS_PID=""
rm -f "$FS/fill"
REDIS_PID=$(cat "$W/redis.pid"); DAEMON_PID[a]=$(cat "$W/a.pid" 2>/dev/null || echo "${DAEMON_PID[a]}")
kill -0 "$REDIS_PID" 2>/dev/null || start_redis
# everything queued anywhere (Postfix's deferred queue, the learn spool, the daemons' Redis replay queues) drains
postqueue -c "$P/etc" -f >/dev/null 2>&1
prev=-1
for ((i = 0; i < 60; i++)); do
    sleep 5
    now=$(learned)
    queued=$(postqueue -c "$P/etc" -p 2>/dev/null | grep -c '^[0-9A-F]')
    spooled=$(find "$SPOOL/new" "$SPOOL/work" -type f 2>/dev/null | wc -l)
    [ "$now" = "$prev" ] && [ "$queued" = 0 ] && [ "$spooled" = 0 ] && break
    prev=$now
done
kill "$SAMPLER_PID" 2>/dev/null; SAMPLER_PID=""
memory_snapshot end

# --- the table -------------------------------------------------------------------------------------------------------
DELIV=$($LOAD delivered --out "$W" --maildirs "$D/mail/alice/Maildir,$D/mail/bob/Maildir")
LEARNED1=$(learned)
# after the count: asking again learns what had been lost
VERIFY=$($LOAD verify --out "$W" --url "http://127.0.0.1:${CONTROLLER_PORT[b]}" --junk "$D/mail/alice/Maildir/.Junk")
python3 - "$W" "$DELIV" "$LEARNED0" "$LEARNED1" "$queued" "$spooled" "$MINUTES" "$VERIFY" <<'PY'
import json, sys, re, glob, os
w, deliv, l0, l1, queued, spooled, minutes = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
verify = json.loads(sys.argv[8])

def live_mb(name):  # "Total <instances> <bytes>" of a class histogram: live objects after the full GC it forced
    m = re.search(r"^Total\s+\d+\s+(\d+)", open(os.path.join(w, "histogram-%s.txt" % name)).read(), re.M)
    return int(m.group(1)) / 1048576 if m else float("nan")

def nmt(name):  # committed KB per NMT category, and the total
    text = open(os.path.join(w, "nmt-%s.txt" % name)).read()
    out = {k.strip(): int(v) for k, v in re.findall(r"^-\s+([A-Za-z ]+?) \(reserved=\d+KB, committed=(\d+)KB", text, re.M)}
    m = re.search(r"^Total: reserved=\d+KB, committed=(\d+)KB", text, re.M)
    out["Total"] = int(m.group(1)) if m else 0
    return out

def memory_verdict():
    live0, live1 = live_mb("warm"), live_mb("end")
    native = lambda n: nmt(n)["Total"] - nmt(n).get("Java Heap", 0) - nmt(n).get("Code", 0)
    heap_ok = live1 <= live0 * 1.10 or live1 - live0 <= 8
    native_ok = native("end") <= native("warm") * 1.10
    return "%s: live heap %+.1f MB, native (without code cache) %+d MB" % (
        "steady" if heap_ok and native_ok else "GROWING", live1 - live0, (native("end") - native("warm")) // 1024)

def growing_classes(n=5):  # the classes whose live bytes grew most between the two histograms
    def parse(name):
        return {c: int(b) for _, b, c in re.findall(r"^\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)", open(os.path.join(w, "histogram-%s.txt" % name)).read(), re.M)}
    a, b = parse("warm"), parse("end")
    d = sorted(((b.get(c, 0) - a.get(c, 0), c) for c in b), reverse=True)[:n]
    return ", ".join("%s %+d KB" % (c, v // 1024) for v, c in d if v > 0) or "none"
c = json.load(open(os.path.join(w, "results.json")))["counters"]
g = lambda k: c.get(k, 0)
rss = [l.split() for l in open(os.path.join(w, "rss.log")) if len(l.split()) == 2]
t0 = int(rss[0][0]) if rss else 0
warm = [int(k) for t, k in rss if int(t) - t0 >= 60] or [int(k) for _, k in rss]
errors = {}
for name in ("a", "b"):
    text = open(os.path.join(w, name, "mailsift.log"), errors="replace").read()
    errors[name] = (len(re.findall(r"^[\d-]+ [\d:.]+ ERROR ", text, re.M)), len(re.findall(r"^[\d-]+ [\d:.]+ WARN ", text, re.M)),
                    len(re.findall(r"OutOfMemoryError|StackOverflowError", text)))
acked = g("learn_http_acknowledged") + g("learn_spool_acknowledged") + g("imap_moves_acknowledged")
lost = deliv["sent"] - deliv["delivered"] - queued
rows = [
    ("duration", "%d min" % minutes),
    ("faults", "%d cycles (Redis SIGKILL+restart, Dovecot restart, mailsift a SIGKILL+restart, a's data dir full 15 s)" % open(os.path.join(w, "faults.log")).read().count("cycle")),
    ("messages sent (SMTP 250)", "%d of %d attempted" % (g("smtp_accepted"), g("smtp_attempted"))),
    ("messages delivered", "%d" % deliv["delivered"]),
    ("messages tempfailed (4xx)", "%d (+%d connection refused)" % (g("smtp_tempfailed"), g("smtp_unreachable"))),
    ("messages rejected (5xx)", "%d" % g("smtp_rejected")),
    ("messages still queued", "%d" % queued),
    ("messages lost", "%d %s" % (lost, deliv["missing"][:5] if lost else "")),
    ("HTTP scans ok / sent", "%d / %d" % (g("scan_ok"), g("scan_sent"))),
    ("learns acknowledged", "%d (HTTP %d, spool %d, IMAP moves %d)" % (acked, g("learn_http_acknowledged"), g("learn_spool_acknowledged"), g("imap_moves_acknowledged"))),
    ("learns not acknowledged", "HTTP %d failed, %s" % (g("learn_http_failed"), ", ".join("%s %d" % (k[11:], v) for k, v in sorted(c.items()) if k.startswith("learn_http_status_")) or "no error statuses")),
    ("learns counted (Redis)", "%d (%+d against acknowledged), spool left %d" % (l1 - l0, l1 - l0 - acked, spooled)),
    ("acknowledged learns lost", "%d of %d checked one by one %s" % (len(verify["missing"]), verify["acknowledged"], verify["missing"][:5] if verify["missing"] else "")),
    ("unanswered learns applied", "%d (a daemon killed after storing, before answering; not applied: %d)" % (verify["unanswered_applied"], verify["unanswered_not_applied"])),
    ("counted once each", "%s: counted %d = acknowledged %d - lost %d + applied unanswered %d" % (
        "yes" if l1 - l0 == acked - len(verify["missing"]) + verify["unanswered_applied"] else "NO", l1 - l0, acked, len(verify["missing"]), verify["unanswered_applied"])),
    ("unverifiable learns", "%d %s" % (len(verify["unverifiable"]), verify["unverifiable"][:3] if verify["unverifiable"] else "")),
    ("RSS b after warm-up/peak/end", "%d / %d / %d MB (end %+.1f%%)" % (warm[0] // 1024, max(warm) // 1024, warm[-1] // 1024, 100.0 * (warm[-1] - warm[0]) / warm[0]) if warm else "n/a"),
    ("b live heap after full GC", "%.1f -> %.1f MB (%+.1f%%)" % (live_mb("warm"), live_mb("end"), 100.0 * (live_mb("end") - live_mb("warm")) / live_mb("warm"))),
    ("b JVM committed (NMT)", "total %d -> %d MB; heap %d -> %d MB; non-heap %d -> %d MB (%+.1f%%)" % (
        nmt("warm")["Total"] // 1024, nmt("end")["Total"] // 1024, nmt("warm").get("Java Heap", 0) // 1024, nmt("end").get("Java Heap", 0) // 1024,
        (nmt("warm")["Total"] - nmt("warm").get("Java Heap", 0)) // 1024, (nmt("end")["Total"] - nmt("end").get("Java Heap", 0)) // 1024,
        100.0 * ((nmt("end")["Total"] - nmt("end").get("Java Heap", 0)) - (nmt("warm")["Total"] - nmt("warm").get("Java Heap", 0))) / max(1, nmt("warm")["Total"] - nmt("warm").get("Java Heap", 0)))),
    ("b NMT growth by category", ", ".join("%s %+d MB" % (k, (nmt("end").get(k, 0) - v) // 1024) for k, v in nmt("warm").items() if k != "Total" and abs(nmt("end").get(k, 0) - v) >= 1024) or "none >= 1 MB"),
    ("b classes grown most (live)", growing_classes()),
    # the verdict: live objects after a full GC, and native memory other than the JIT's code cache (which fills as
    # methods compile, up to its fixed reserve); a few MB of live growth are bounded caches filling (DNS answers)
    ("memory verdict", memory_verdict()),
    ("log lines a: ERROR/WARN/OOM", "%d / %d / %d" % errors["a"]),
    ("log lines b: ERROR/WARN/OOM", "%d / %d / %d" % errors["b"]),
]
print()
for k, v in rows:
    print("%-30s %s" % (k, v))
print("\nother counters: " + json.dumps({k: v for k, v in c.items() if k.startswith(("exception_", "imap_", "scan_failed"))}, sort_keys=True))
PY
echo "soak: logs in $W (kept: E2E_KEEP=1)"

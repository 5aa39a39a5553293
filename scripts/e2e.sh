#!/usr/bin/env bash
# End-to-end test of the whole mail flow, on loopback and free ports:
#   Postfix (smtpd_milters -> mailsift) -> LMTP -> Dovecot (sieve_before = shipped spam-to-junk.sieve)
#   a user's IMAP moves -> Dovecot IMAPSieve (shipped report-spam/report-ham.sieve + mailsift-learn) -> controller
#   (step 3), and -> mailsift's own IMAP watcher (step 5, the Redis run)
# with mailsift run from the built distribution (agent/target/mailsift). It proves:
#   1. GTUBE is rejected at SMTP with 554
#   2. an add-header-band message lands in Junk with X-Spam: Yes + X-Spamd-Result; a clean one in INBOX
#   3. 250 spam moved into Junk and 250 ham moved out of Junk are each learned exactly once (/stat, learn log)
#   4. afterwards fresh corpus spam gets BAYES_SPAM and lands in Junk, fresh ham gets BAYES_HAM and lands in INBOX
#   5. after a restart (SIGTERM -> exit 0) the Bayes data is still there; SIGHUP reloads actions without a restart;
#      a move while the daemon is down is spooled by mailsift-learn and learned when it is back;
#      two daemons sharing one Redis give the same counts
#   6. authentication, with a local authoritative DNS (dnsmasq) for an outside domain and ours: mail signed by
#      python3-dkim (dkim.sign; dkim.arc_sign by a mailing list that changed the body) arrives with mailsift's
#      Authentication-Results (dkim/spf/dmarc/arc) and symbols, a forged Authentication-Results in our name is
#      removed, a tampered copy gets dkim=fail; dmarc.conf actions enforced (p=reject: 554 at SMTP, p=quarantine:
#      add header, Junk); our arc.conf seal on delivered mail passes arcverify; mail an authenticated user (SASL through Dovecot) submits leaves,
#      captured at the next hop (Postfix's smtp-sink), with a DKIM-Signature that dkimverify accepts
#   7. no ERROR lines in the daemon logs, and no message body or password in them
# plus, first, the Debian package build and its checks (packaging/src/deb/check-deb.sh).
# Prints a summary table; exits non-zero on any failure. The mail flow is skipped (a SKIP line; the exit status is
# the package step's) when the corpus or a server binary is missing, or when not run as root (private Postfix and
# Dovecot instances need it).
#
# Env: MAILSIFT_CORPUS (default ../shared/corpus/sa), MAILSIFT_DIST (default agent/target/mailsift),
#      E2E_TRAIN (250), E2E_FRESH (10), E2E_DEB (1: build and check the .deb), E2E_REDIS (1),
#      E2E_DEB_INSTALL (default 1 when $CI is set: also dpkg -i, check, dpkg -P the package),
#      E2E_REDIS_LEARN (watcher, the default: the Redis run learns bob's moves through the daemon's IMAP watcher, so
#        both learning routes are proven, IMAPSieve in step 3 and the watcher in step 5;
#        imapsieve: through the shipped IMAPSieve scripts again, as step 3),
#      E2E_KEEP=1 keeps the work directory, E2E_VERBOSE=1 echoes each step.
set -uo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
CORPUS=${MAILSIFT_CORPUS:-$ROOT/../shared/corpus/sa}
DIST=${MAILSIFT_DIST:-$ROOT/agent/target/mailsift}
TRAIN=${E2E_TRAIN:-250}
FRESH=${E2E_FRESH:-10}
FLOW="python3 $ROOT/scripts/e2e/mailflow.py"
T0=$(date +%s)

# The mail flow needs all of these; the package step below runs regardless (CI builds the .deb on every full run).
SKIP_FLOW=""
skip() { [ -n "$SKIP_FLOW" ] || SKIP_FLOW=$*; }
[ -d "$CORPUS/spam" ] && [ -d "$CORPUS/ham" ] || skip "no corpus at $CORPUS (set MAILSIFT_CORPUS)"
[ "$(id -u)" = 0 ] || skip "needs root (private Postfix and Dovecot instances)"
for bin in postfix dovecot sievec python3 curl; do
    command -v "$bin" >/dev/null 2>&1 || skip "$bin is not installed (scripts/install-test-deps.sh)"
done
getent passwd mail >/dev/null && getent passwd dovecot >/dev/null && getent passwd dovenull >/dev/null \
    || skip "the users mail, dovecot and dovenull are missing (dovecot-core not installed?)"
[ -x "$DIST/bin/mailsift" ] || { echo "FAIL e2e: no distribution at $DIST: build it first (mvn -pl agent -am package)"; exit 1; }

W=$(mktemp -d /tmp/mailsift-e2e.XXXXXX)
chmod 0755 "$W"   # Postfix and Dovecot processes run as their own users and must traverse it

# --- results ----------------------------------------------------------------------------------------------------
declare -a R_NAME=() R_STATUS=() R_DETAIL=()
FAILED=0
result() { # status name detail
    R_STATUS+=("$1"); R_NAME+=("$2"); R_DETAIL+=("$3")
    [ "$1" = FAIL ] && FAILED=$((FAILED + 1))
    printf 'e2e: %-4s %s -- %s\n' "$1" "$2" "$3"
}
pass() { result PASS "$@"; }
fail() { result FAIL "$@"; }
say() { [ "${E2E_VERBOSE:-0}" = 1 ] && printf 'e2e: ... %s\n' "$*"; return 0; }
summary() {
    echo
    printf '%-26s %-5s %s\n' "step" "result" "detail"
    printf '%-26s %-5s %s\n' "--------------------------" "-----" "------"
    local i
    for i in "${!R_NAME[@]}"; do
        printf '%-26s %-5s %s\n' "${R_NAME[$i]}" "${R_STATUS[$i]}" "${R_DETAIL[$i]}"
    done
    echo "e2e: $FAILED failed, $(( $(date +%s) - T0 ))s"
}

# --- processes we start (stopped by PID / by their own stop command, never by name) -------------------------
declare -A DAEMON_PID=()
POSTFIX_UP=0
DOVECOT_PID=""
REDIS_PID=""
DNSMASQ_PID=""
SINK_PID=""
cleanup() {
    for name in "${!DAEMON_PID[@]}"; do
        kill -TERM "${DAEMON_PID[$name]}" 2>/dev/null
    done
    for name in "${!DAEMON_PID[@]}"; do
        wait "${DAEMON_PID[$name]}" 2>/dev/null
    done
    [ $POSTFIX_UP = 1 ] && postfix -c "$W/postfix/etc" stop >/dev/null 2>&1
    [ -n "$DOVECOT_PID" ] && kill -TERM "$DOVECOT_PID" 2>/dev/null
    [ -n "$REDIS_PID" ] && kill -TERM "$REDIS_PID" 2>/dev/null
    [ -n "$DNSMASQ_PID" ] && kill -TERM "$DNSMASQ_PID" 2>/dev/null
    [ -n "$SINK_PID" ] && kill -TERM "$SINK_PID" 2>/dev/null
    if [ "${E2E_KEEP:-0}" = 1 ] || [ $FAILED -gt 0 ]; then
        echo "e2e: work directory kept: $W"
    else
        rm -rf "$W"
    fi
}
trap cleanup EXIT

free_ports() { # N -> N distinct free loopback ports
    python3 - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}
wait_port() { # port seconds
    local i
    for ((i = 0; i < $2 * 10; i++)); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

read -r P_SMTP P_LMTP P_IMAP P_REDIS P_AUTH <<<"$(free_ports 5)"

# --- mailsift daemons ---------------------------------------------------------------------------------------------
declare -A MILTER_PORT=() NORMAL_PORT=() CONTROLLER_PORT=() DBDIR=() CONF=()
# learning through the controller needs its enable password from every peer (secure_ip only reads): the stock
# daemon gets a hash of it, mailsift-learn the password through its learn.env, as a site would set them up
LEARN_PASSWORD=e2e-learn-$$
export MAILSIFT_PASSWORD=$LEARN_PASSWORD   # scripts/soak/load.py learns over HTTP with it
LEARN_HASH=
# make_conf NAME [redis]: the distribution's etc/ plus overrides for this test's ports
make_conf() {
    local name=$1 c=$W/$1/conf ports
    read -r -a ports <<<"$(free_ports 3)"
    MILTER_PORT[$name]=${ports[0]}; NORMAL_PORT[$name]=${ports[1]}; CONTROLLER_PORT[$name]=${ports[2]}
    mkdir -p "$W/$name/db"
    cp -a "$DIST/etc" "$c"
    DBDIR[$name]=$W/$name/db; CONF[$name]=$c
    # override.d replaces the stock worker file: the ports must not be merged with the default ones
    printf 'bind_socket = "127.0.0.1:%s";\nmilter = yes;\ntimeout = 120s;\n' "${ports[0]}" > "$c/override.d/worker-proxy.inc"
    printf 'bind_socket = "127.0.0.1:%s";\n' "${ports[1]}" > "$c/override.d/worker-normal.inc"
    [ -n "$LEARN_HASH" ] || LEARN_HASH=$("$DIST/bin/mailsift" pw -p "$LEARN_PASSWORD")
    printf 'bind_socket = "127.0.0.1:%s";\nsecure_ip = "127.0.0.1";\nenable_password = "%s";\n' "${ports[2]}" "$LEARN_HASH" \
        > "$c/override.d/worker-controller.inc"
    # mail from 127.0.0.1 is "local" in the stock options; this test's mail must get the headers all the same
    printf 'skip_local = false;\n' > "$c/local.d/milter_headers.conf"
    # GTUBE variants (add-header band) as in Rspamd's enable_test_patterns
    printf 'enable_test_patterns = true;\n' > "$c/local.d/options.inc"
    if [ "${2:-}" = redis ]; then
        printf 'backend = "redis";\n' > "$c/local.d/classifier-bayes.conf"
        printf 'servers = "127.0.0.1:%s";\n' "$P_REDIS" > "$c/local.d/redis.conf"
    fi
}
start_daemon() { # NAME
    local name=$1
    # SIGHUP at its default disposition whatever ours is (under nohup it is inherited ignored and step 5's reload
    # by signal could never work; the daemon would only warn)
    env --default-signal=HUP "$DIST/bin/mailsift" run -c "${CONF[$name]}" --dbdir "${DBDIR[$name]}" >>"$W/$name/mailsift.log" 2>&1 &
    DAEMON_PID[$name]=$!
    if wait_port "${MILTER_PORT[$name]}" 60 && wait_port "${CONTROLLER_PORT[$name]}" 10 && wait_port "${NORMAL_PORT[$name]}" 10; then
        say "mailsift $name up (pid ${DAEMON_PID[$name]}, milter ${MILTER_PORT[$name]}, controller ${CONTROLLER_PORT[$name]})"
        return 0
    fi
    kill -0 "${DAEMON_PID[$name]}" 2>/dev/null && kill -TERM "${DAEMON_PID[$name]}"
    wait "${DAEMON_PID[$name]}" 2>/dev/null
    unset "DAEMON_PID[$name]"
    return 1
}
stop_daemon() { # NAME -> STOP_RC (exit code), STOP_MS (time to exit); not in a subshell: wait needs our child
    local name=$1 t
    t=$(date +%s%N)
    kill -TERM "${DAEMON_PID[$name]}"
    wait "${DAEMON_PID[$name]}"; STOP_RC=$?
    STOP_MS=$(( ($(date +%s%N) - t) / 1000000 ))
    unset "DAEMON_PID[$name]"
}
stat_of() { $FLOW stat --url "http://127.0.0.1:${CONTROLLER_PORT[$1]}"; }
json() { python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(eval(sys.argv[2], {}, {"d": d}))' "$1" "$2"; }

# --- Dovecot: LMTP + IMAP, shipped Sieve scripts, IMAPSieve -> shipped mailsift-learn -> controller -----------------
SHARE=$DIST/share
D=$W/dovecot
start_dovecot() {
    mkdir -p "$D/run" "$D/state" "$D/mail" "$D/sieve" "$D/sieve-pipe"
    chown mail:mail "$D/mail"
    # IMAP logins are "alice" and "bob"; LMTP recipients and SMTP submission (Postfix's SASL through Dovecot's
    # auth listener below) use the full address, as on a site with virtual domains: the login's domain is what
    # DKIM signing (allow_username_mismatch = false) checks against the From domain
    printf '%s:{PLAIN}%s-pw::::::\n' alice alice bob bob alice@example.test alice bob@example.test bob > "$D/users"
    chmod 0640 "$D/users"; chown root:dovecot "$D/users"
    cp "$SHARE"/sieve/*.sieve "$D/sieve/"
    install -m 0755 "$SHARE/sieve/mailsift-learn" "$D/mailsift-learn"
    set_learn_target "$1"
    # The shipped Dovecot 2.3 snippet, with the package paths pointed at this test's copies.
    sed -e "s|/usr/share/mailsift/sieve|$D/sieve|g" -e "s|/usr/lib/mailsift/sieve-pipe|$D/sieve-pipe|g" \
        "$SHARE/dovecot/2.3/90-mailsift.conf" > "$D/90-mailsift.conf"
    cat > "$D/dovecot.conf" <<CONF
instance_name = mailsift-e2e-$$
base_dir = $D/run
state_dir = $D/state
log_path = $D/dovecot.log
info_log_path = $D/dovecot.log
protocols = imap lmtp
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_username_format = %Lu
default_login_user = dovenull
default_internal_user = dovecot
first_valid_uid = 8
mail_uid = mail
mail_gid = mail
mail_location = maildir:~/Maildir
passdb {
  driver = passwd-file
  args = scheme=PLAIN $D/users
}
userdb {
  driver = passwd-file
  args = $D/users
  default_fields = home=$D/mail/%n
}
namespace inbox {
  inbox = yes
  separator = /
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $P_IMAP
  }
  inet_listener imaps {
    port = 0
  }
}
service auth {
  inet_listener auth-postfix {
    address = 127.0.0.1
    port = $P_AUTH
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $P_LMTP
  }
}
protocol lmtp {
  postmaster_address = postmaster@example.test
}
protocol imap {
  mail_max_userip_connections = 50
}
!include $D/90-mailsift.conf
CONF
    local s
    for s in "$D"/sieve/*.sieve; do
        sievec -c "$D/dovecot.conf" "$s" >>"$D/sievec.log" 2>&1 || { echo "sievec $s failed: $(tail -n 3 "$D/sievec.log")"; return 1; }
    done
    dovecot -c "$D/dovecot.conf" >>"$D/start.log" 2>&1 || { cat "$D/start.log"; return 1; }
    for ((s = 0; s < 50; s++)); do [ -f "$D/run/master.pid" ] && break; sleep 0.1; done
    DOVECOT_PID=$(cat "$D/run/master.pid" 2>/dev/null)
    wait_port "$P_IMAP" 10 && wait_port "$P_LMTP" 5
}
# The pipe program Dovecot runs: the shipped mailsift-learn, told this test's controller and spool
# ("none": IMAPSieve learns nothing, the IMAP watcher does).
set_learn_target() { # daemon name | none
    if [ "$1" = none ]; then
        printf '#!/bin/sh\ncat >/dev/null\n' > "$D/sieve-pipe/mailsift-learn.new"
    else
        # the daemon's own learn spool (DATADIR/spool), which its spool drainer empties: a learn the controller
        # could not take in time is learned later, as in production
        local spool=${DBDIR[$1]}/spool
        mkdir -p "$spool/new" "$spool/tmp"; chown mail:mail "$spool" "$spool/new" "$spool/tmp"   # not work/: the daemon drains through its own
        printf 'MAILSIFT_PASSWORD=%s\n' "$LEARN_PASSWORD" > "$D/learn.env"; chown mail:mail "$D/learn.env"; chmod 0600 "$D/learn.env"
        cat > "$D/sieve-pipe/mailsift-learn.new" <<SH
#!/bin/sh
MAILSIFT_LEARN_CONF=$D/learn.env exec $D/mailsift-learn --url http://127.0.0.1:${CONTROLLER_PORT[$1]} --spool $spool --timeout 10 "\$@" 2>>$D/learn.log
SH
    fi
    chmod 0755 "$D/sieve-pipe/mailsift-learn.new"
    mv "$D/sieve-pipe/mailsift-learn.new" "$D/sieve-pipe/mailsift-learn"
    touch "$D/learn.log"; chown mail:mail "$D/learn.log"
}

# --- Postfix: smtpd on P_SMTP with the mailsift milter, example.test delivered by LMTP to Dovecot -----------------
P=$W/postfix
# shellcheck source=lib/postfix-config.sh
. "$ROOT/scripts/lib/postfix-config.sh"
postfix_conf() { # milter port [--set NAME=VALUE]...: the tests' one Postfix template, delivering by LMTP, with the
    # shipped main.cf.mailsift, and what a phase adds
    local milter=$1; shift
    postfix_test_config "$P" "$P_SMTP" mailsift-e2e --set "virtual_transport=lmtp:inet:127.0.0.1:$P_LMTP" \
        --set message_size_limit=20480000 --merge "$SHARE/postfix/main.cf.mailsift" \
        --set "smtpd_milters=inet:127.0.0.1:$milter" "$@" || return 1
    printf 'alice@example.test OK\nbob@example.test OK\n' > "$P/etc/vmailbox"
}
start_postfix() {
    postfix_conf "$1" || return 1
    script -qc "postfix -c $P/etc check" /dev/null >"$P/check.log" 2>&1 || { cat "$P/check.log"; return 1; }
    postfix -c "$P/etc" start >"$P/start.log" 2>&1 || { script -qc "postfix -c $P/etc start" /dev/null; return 1; }
    POSTFIX_UP=1
    wait_port "$P_SMTP" 10
}
repoint_postfix() { # milter port [--set NAME=VALUE]...
    postfix_conf "$@"
    postfix -c "$P/etc" reload >/dev/null 2>&1
    sleep 1
}

# --- DNS: Debian's dnsmasq, authoritative on loopback for the zones a phase publishes --------------------------
DNS=$W/dns
# dns_conf ZONE... -- RECORD...: writes $DNS/dnsmasq.conf, serving the records authoritatively for the zones named
# (nothing is forwarded). A RECORD is NAME=TEXT, a TXT record (split into strings of at most 250 bytes, as a DKIM
# key must be), or a dnsmasq option as on its command line (--host-record=NAME,IP, --mx-host=NAME,HOST,PREF).
dns_conf() {
    mkdir -p "$DNS"
    {
        printf 'no-resolv\nno-hosts\nno-poll\nlisten-address=127.0.0.1\nbind-interfaces\nuser=root\ngroup=root\n'
        printf 'local-ttl=60\nlog-queries\nlog-facility=%s\nauth-server=ns.example.test,127.0.0.1\n' "$DNS/queries.log"
        while [ $# -gt 0 ] && [ "$1" != -- ]; do printf 'auth-zone=%s\n' "$1"; shift; done
        shift
        local record name text
        for record in "$@"; do
            [[ $record == --* ]] && { printf '%s\n' "${record#--}"; continue; }
            name=${record%%=*}; text=${record#*=}
            printf 'txt-record=%s' "$name"
            while [ -n "$text" ]; do printf ',"%s"' "${text:0:250}"; text=${text:250}; done
            printf '\n'
        done
    } > "$DNS/dnsmasq.conf"
}
start_dns() { # port: serves $DNS/dnsmasq.conf on 127.0.0.1:port (UDP and TCP)
    dnsmasq --keep-in-foreground --conf-file="$DNS/dnsmasq.conf" --port="$1" --pid-file="$DNS/dnsmasq.pid" \
        >"$DNS/dnsmasq.out" 2>&1 &
    DNSMASQ_PID=$!
    wait_port "$1" 10
}
# with_private_dns COMMAND...: runs a program that asks the system resolver (dkimverify) in a private network and
# mount namespace whose /etc/resolv.conf names a dnsmasq on its own 127.0.0.1:53 serving $DNS/dnsmasq.conf
with_private_dns() {
    printf 'nameserver 127.0.0.1\n' > "$DNS/resolv.conf"
    unshare --mount --net sh -c 'dir=$1; shift
        ip link set lo up && mount --bind "$dir/resolv.conf" /etc/resolv.conf \
            && dnsmasq --conf-file="$dir/dnsmasq.conf" --port=53 --pid-file="$dir/private.pid" </dev/null || exit 99
        rc=0; "$@" || rc=$?; kill "$(cat "$dir/private.pid" 2>/dev/null)" 2>/dev/null; exit $rc' sh "$DNS" "$@"
}
private_dns_available() { unshare --mount --net true 2>/dev/null && command -v ip >/dev/null; }

# scripts/soak.sh sources this file for the set-up above (servers, daemons, ports, clean-up) and runs its own flow
[ "${E2E_LIB_ONLY:-0}" = 1 ] && return 0

# ==================================================================================================================
cd "$ROOT" || exit 1
echo "e2e: work directory $W; distribution $DIST"

# 0. the Debian package
if [ "${E2E_DEB:-1}" = 1 ] && command -v dpkg-deb >/dev/null 2>&1; then
    VERSION=$(sed -n 's|^  <version>\(.*\)</version>|\1|p' "$ROOT/pom.xml" | head -n 1)
    t=$(date +%s)
    if bash packaging/src/deb/build-deb.sh "$DIST" "$ROOT/packaging/target" "$VERSION" >"$W/build-deb.log" 2>&1; then
        # a real dpkg -i / dpkg -P too when asked, or on CI (CI=...): it changes the machine for a few seconds
        if DEB_INSTALL_TEST=${E2E_DEB_INSTALL:-${CI:+1}} bash packaging/src/deb/check-deb.sh "$ROOT/packaging/target" >"$W/check-deb.log" 2>&1; then
            pass "deb" "$(tail -n 1 "$W/check-deb.log" | sed 's/^check-deb: //'), $(( $(date +%s) - t ))s"
        else
            fail "deb" "$(grep -c FAIL "$W/check-deb.log") checks failed: $(grep FAIL "$W/check-deb.log" | head -n 3 | tr '\n' ';')"
        fi
    else
        fail "deb" "build-deb.sh failed: $(tail -n 3 "$W/build-deb.log" | tr '\n' ';')"
    fi
fi

if [ -n "$SKIP_FLOW" ]; then
    echo "SKIP e2e: $SKIP_FLOW"
    summary
    exit $((FAILED > 0))
fi

# Messages: training and fresh sets from the corpus, plus hand-made GTUBE / add-header / clean messages.
PICK=$($FLOW pick --corpus "$CORPUS" --out "$W/msgs" --train "$TRAIN" --fresh "$FRESH")
say "corpus pick: $PICK"
mk_msg() { # file msgid subject body
    printf 'From: Sender <sender@example.org>\r\nTo: Alice <alice@example.test>\r\nSubject: %s\r\nMessage-ID: <%s>\r\nDate: %s\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n%s\r\n' \
        "$3" "$2" "$(date -R)" "$4" > "$1"
}
mkdir -p "$W/msgs/hand"
mk_msg "$W/msgs/hand/gtube.eml" "gtube.$$@example.org" "test" \
    "This is the GTUBE, the Generic Test for Unsolicited Bulk Email: XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X"
mk_msg "$W/msgs/hand/addheader.eml" "addheader.$$@example.org" "add header band" \
    "Rspamd's add-header test pattern: YJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X"
mk_msg "$W/msgs/hand/clean.eml" "clean.$$@example.org" "Lunch on Thursday" \
    "Hi Alice, shall we meet for lunch on Thursday at noon at the usual place? Regards, Sam"

make_conf a
if ! start_daemon a; then
    fail "start" "mailsift run did not open its ports within 60 s: $(tail -n 5 "$W/a/mailsift.log" | tr '\n' ';')"
    exit 1
fi
start_dovecot a >"$W/dovecot-start.log" 2>&1 || { fail "start" "dovecot: $(tail -n 3 "$W/dovecot-start.log" | tr '\n' ';')"; exit 1; }
start_postfix "${MILTER_PORT[a]}" >"$W/postfix-start.log" 2>&1 || { fail "start" "postfix: $(tail -n 3 "$W/postfix-start.log" | tr '\n' ';')"; exit 1; }
pass "start" "mailsift (milter ${MILTER_PORT[a]}), dovecot (imap $P_IMAP, lmtp $P_LMTP), postfix (smtp $P_SMTP) up after $(( $(date +%s) - T0 ))s"

ALICE=$D/mail/alice/Maildir
BOB=$D/mail/bob/Maildir

# 1. GTUBE rejected at SMTP with 554
r=$($FLOW send --port "$P_SMTP" --rcpt alice@example.test "$W/msgs/hand/gtube.eml")
code=$(json "$r" 'd["code"]')
if [ "$code" = 554 ]; then pass "1 gtube-554" "$(json "$r" 'd["text"]')"; else fail "1 gtube-554" "SMTP answered $code $(json "$r" 'd["text"]')"; fi

# 2. add-header band -> Junk with X-Spam: Yes and X-Spamd-Result; clean -> INBOX with X-Spamd-Result
$FLOW send --port "$P_SMTP" --rcpt alice@example.test "$W/msgs/hand/addheader.eml" "$W/msgs/hand/clean.eml" >"$W/send-2.json"
d=$($FLOW delivered --maildir "$ALICE" --timeout 30 "addheader.$$@example.org" "clean.$$@example.org")
ah=$(sed -n 1p <<<"$d"); cl=$(sed -n 2p <<<"$d")
if [ "$(json "$ah" 'd["folder"]')" = Junk ] && [ "$(json "$ah" 'd["x_spam"]')" = Yes ] && [ "$(json "$ah" 'd["x_spamd_result"] is not None')" = True ]; then
    pass "2 add-header-to-junk" "Junk, X-Spam: Yes, X-Spamd-Result: $(json "$ah" '(d["x_spamd_result"] or "")[:60]')"
else
    fail "2 add-header-to-junk" "folder=$(json "$ah" 'd["folder"]') x-spam=$(json "$ah" 'd["x_spam"]') x-spamd-result=$(json "$ah" 'd["x_spamd_result"]')"
fi
if [ "$(json "$cl" 'd["folder"]')" = INBOX ] && [ "$(json "$cl" 'd["x_spamd_result"] is not None')" = True ]; then
    pass "2 clean-to-inbox" "INBOX, X-Spamd-Result: $(json "$cl" '(d["x_spamd_result"] or "")[:60]')"
else
    fail "2 clean-to-inbox" "folder=$(json "$cl" 'd["folder"]') x-spamd-result=$(json "$cl" 'd["x_spamd_result"]')"
fi

# 3. the user's moves: TRAIN spam into Junk, TRAIN ham out of Junk; each learned exactly once
# learn_flow USER PASSWORD MAILDIR DAEMON STEP [watcher]: moves, then waits for /stat of DAEMON to settle;
# prints "spam ham seconds". With "watcher", the daemon's IMAP watcher learns (asynchronously), not IMAPSieve.
learn_flow() {
    local user=$1 pw=$2 maildir=$3 daemon=$4 step=$5 route=${6:-imapsieve} t=$(date +%s) s last="" same=0 i
    # settled = every move counted (same counts twice), or no change for a while: 3 s for IMAPSieve (a pipe per
    # message, run in the MOVE), 20 s for the watcher (asynchronous, and it backs off after an error)
    local settle=6 filed=""
    [ "$route" = watcher ] && settle=40 && filed="--filed-by-filter --rescue-when-seen http://127.0.0.1:${CONTROLLER_PORT[$daemon]}"
    $FLOW learn-moves --port "$P_IMAP" --user "$user" --password "$pw" --maildir "$maildir" --class spam "$W/msgs/train/spam" >"$W/moves-$step-spam.json" 2>&1 \
        || echo "e2e: step $step: spam moves failed: $(tail -n 2 "$W/moves-$step-spam.json")" >&2
    # ham after spam (Dovecot has made Junk by then); the Junk UIDs taken before the ham arrives keep the spam apart
    $FLOW learn-moves --port "$P_IMAP" --user "$user" --password "$pw" --maildir "$maildir" --class ham $filed "$W/msgs/train/ham" >"$W/moves-$step-ham.json" 2>&1 \
        || echo "e2e: step $step: ham moves failed: $(tail -n 2 "$W/moves-$step-ham.json")" >&2
    for ((i = 0; i < 360; i++)); do
        s=$(stat_of "$daemon" 2>/dev/null)
        if [ -n "$s" ] && [ "$s" = "$last" ]; then same=$((same + 1)); else same=0; fi
        last=$s
        if [ -n "$s" ] && [ "$(json "$s" '(d["spam"] or 0) + (d["ham"] or 0) + (d["queued"] or 0)')" -ge $((2 * TRAIN)) ]; then
            [ $same -ge 2 ] && break
        elif [ $same -ge $settle ] && [ "$(json "$s" '(d["spam"] or 0) + (d["ham"] or 0) + (d["queued"] or 0) > 0')" = True ]; then
            break
        fi
        sleep 0.5
    done
    echo "$(json "$last" 'd["spam"]') $(json "$last" 'd["ham"]') $(( $(date +%s) - t ))"
}
# outcome lines the daemon logged for one user: "learned relearned already_learned ..." counts per class
learn_log() { # daemon-log user class
    grep -o "learn user=$2 class=$3 [^ ]* status=[a-z_]*" "$1" | sed 's/.*status=//' | sort | uniq -c | tr '\n' ' '
}
read -r SPAM_A HAM_A SECS <<<"$(learn_flow alice alice-pw "$ALICE" a 3)"
IN_JUNK=$(find "$ALICE/.Junk/cur" "$ALICE/.Junk/new" -type f 2>/dev/null | wc -l)
SPAM_LOG=$(learn_log "$W/a/mailsift.log" alice spam); HAM_LOG=$(learn_log "$W/a/mailsift.log" alice ham)
SPAM_REQ=$(grep -c "learn user=alice class=spam" "$W/a/mailsift.log"); HAM_REQ=$(grep -c "learn user=alice class=ham" "$W/a/mailsift.log")
detail="/stat spam=$SPAM_A ham=$HAM_A after ${SECS}s; requests logged spam=$SPAM_REQ [$SPAM_LOG] ham=$HAM_REQ [$HAM_LOG]"
if [ "$SPAM_A" = "$TRAIN" ] && [ "$HAM_A" = "$TRAIN" ] && [ "$SPAM_REQ" = "$TRAIN" ] && [ "$HAM_REQ" = "$TRAIN" ] \
        && [ "$(tr -s ' ' <<<"$SPAM_LOG$HAM_LOG")" = " $TRAIN learned $TRAIN learned " ]; then
    pass "3 learn-each-once" "$detail"
else
    fail "3 learn-each-once" "$detail (want $TRAIN each); still in the spool: $(find "${DBDIR[a]}/spool/new" -type f 2>/dev/null | wc -l)"
fi

# 4. fresh spam -> BAYES_SPAM + Junk; fresh ham -> BAYES_HAM + INBOX
# fresh_check MAILDIR RCPT STEP: prints "spam_bayes spam_junk spam_rejected ham_bayes ham_inbox"
fresh_check() {
    local maildir=$1 rcpt=$2 step=$3 cls files ids out sb=0 sj=0 sr=0 hb=0 hi=0
    for cls in spam ham; do
        files=("$W/msgs/fresh/$cls"/*.eml)
        $FLOW send --port "$P_SMTP" --rcpt "$rcpt" "${files[@]}" >"$W/send-$step-$cls.json"
        [ $cls = spam ] && sr=$(grep -c '"code": 554' "$W/send-$step-$cls.json")
        mapfile -t ids < <(python3 -c 'import json,sys
for l in open(sys.argv[1]):
    d = json.loads(l)
    if d["code"] == 250: print(d["msgid"])' "$W/send-$step-$cls.json")
        [ ${#ids[@]} -gt 0 ] || continue
        out=$($FLOW delivered --maildir "$maildir" --timeout 60 "${ids[@]}")
        if [ $cls = spam ]; then
            sb=$(grep -c '"x_spamd_result": "[^"]*BAYES_SPAM' <<<"$out"); sj=$(grep -c '"folder": "Junk"' <<<"$out")
        else
            hb=$(grep -c '"x_spamd_result": "[^"]*BAYES_HAM' <<<"$out"); hi=$(grep -c '"folder": "INBOX"' <<<"$out")
        fi
        echo "$out" >"$W/delivered-$step-$cls.json"
    done
    echo "$sb $sj $sr $hb $hi"
}
judge_fresh() { # step "sb sj sr hb hi"
    local sb sj sr hb hi
    local bayes=$(( (FRESH * 7 + 9) / 10 )) caught=$(( (FRESH + 1) / 2 )) clean=$(( (FRESH * 9 + 9) / 10 ))
    read -r sb sj sr hb hi <<<"$2"
    local detail="of $FRESH fresh spam: $sb BAYES_SPAM, $sj in Junk, $sr rejected (554); of $FRESH fresh ham: $hb BAYES_HAM, $hi in INBOX"
    # the bar: the classifier names >= 70% of each class, >= half the spam is filed or refused (Bayes alone is
    # worth at most ~5 of the 6 points add_header needs), and >= 90% of the ham reaches INBOX
    if [ "$sb" -ge "$bayes" ] && [ "$hb" -ge "$bayes" ] && [ $((sj + sr)) -ge "$caught" ] && [ "$hi" -ge "$clean" ]; then
        pass "$1" "$detail"
    else
        fail "$1" "$detail (need $bayes BAYES_*, $caught spam caught, $clean ham in INBOX)"
    fi
}
judge_fresh "4 fresh-verdicts" "$(fresh_check "$ALICE" alice@example.test 4)"

# 5a. reload: SIGHUP with a new add_header threshold changes the verdict thresholds, the daemon keeps running
old_thr=$(curl -s --max-time 10 --data-binary @"$W/msgs/hand/clean.eml" "http://127.0.0.1:${NORMAL_PORT[a]}/checkv2" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin).get("thresholds", {}).get("add header"))' 2>/dev/null)
printf 'add_header = 5.5;\n' > "${CONF[a]}/local.d/actions.conf"
kill -HUP "${DAEMON_PID[a]}"
new_thr=""
for ((i = 0; i < 50; i++)); do
    new_thr=$(curl -s --max-time 10 --data-binary @"$W/msgs/hand/clean.eml" "http://127.0.0.1:${NORMAL_PORT[a]}/checkv2" \
        | python3 -c 'import json,sys; print(json.load(sys.stdin).get("thresholds", {}).get("add header"))' 2>/dev/null)
    [ "$new_thr" = 5.5 ] && break
    sleep 0.2
done
rm -f "${CONF[a]}/local.d/actions.conf"
kill -HUP "${DAEMON_PID[a]}"
if [ "$new_thr" = 5.5 ] && kill -0 "${DAEMON_PID[a]}" 2>/dev/null; then
    pass "5 reload-sighup" "add header threshold $old_thr -> $new_thr without a restart (pid ${DAEMON_PID[a]})"
else
    fail "5 reload-sighup" "add header threshold $old_thr -> ${new_thr:-?} after SIGHUP"
fi

# 5b. restart: SIGTERM exits 0 (graceful), the embedded Bayes store keeps its counts
stop_daemon a
if [ "$STOP_RC" = 0 ]; then pass "5 sigterm-exit-0" "exit 0 after $STOP_MS ms"; else fail "5 sigterm-exit-0" "exit $STOP_RC after $STOP_MS ms"; fi
if start_daemon a; then
    s=$(stat_of a)
    if [ "$(json "$s" 'd["spam"]')" = "$SPAM_A" ] && [ "$(json "$s" 'd["ham"]')" = "$HAM_A" ]; then
        pass "5 restart-keeps-bayes" "/stat after restart: spam=$(json "$s" 'd["spam"]') ham=$(json "$s" 'd["ham"]')"
    else
        fail "5 restart-keeps-bayes" "/stat after restart: $s (before: spam=$SPAM_A ham=$HAM_A)"
    fi
else
    fail "5 restart-keeps-bayes" "the daemon did not come back: $(tail -n 3 "$W/a/mailsift.log" | tr '\n' ';')"
fi

# 5c. a move while the daemon is down: mailsift-learn spools it, the daemon learns it when it is back
if [ -n "${DAEMON_PID[a]:-}" ]; then
    stop_daemon a
    mkdir -p "$W/msgs/down"; cp "$W/msgs/fresh/spam/000.eml" "$W/msgs/down/"
    $FLOW learn-moves --port "$P_IMAP" --user alice --password alice-pw --maildir "$ALICE" --class spam "$W/msgs/down" >"$W/moves-down.json" 2>&1
    spooled=0
    for ((i = 0; i < 50; i++)); do
        spooled=$(find "${DBDIR[a]}/spool/new" -type f 2>/dev/null | wc -l)
        [ "$spooled" -ge 1 ] && break
        sleep 0.2
    done
    s=""
    if start_daemon a; then
        for ((i = 0; i < 60; i++)); do
            s=$(stat_of a 2>/dev/null)
            [ -n "$s" ] && [ "$(json "$s" 'd["spam"]')" = $((SPAM_A + 1)) ] && break
            sleep 0.5
        done
    fi
    left=$(find "${DBDIR[a]}/spool/new" -type f 2>/dev/null | wc -l)
    if [ "$spooled" = 1 ] && [ -n "$s" ] && [ "$(json "$s" 'd["spam"]')" = $((SPAM_A + 1)) ] && [ "$left" = 0 ]; then
        pass "5 learn-while-down" "the move was spooled by mailsift-learn and learned after the restart (spam $SPAM_A -> $((SPAM_A + 1)))"
    else
        fail "5 learn-while-down" "spooled=$spooled, /stat after restart: ${s:-none}, left in the spool: $left"
    fi
fi

# 5d. two daemons sharing one Redis: milter on r1, learning through r2's controller, same counts on both
if [ "${E2E_REDIS:-1}" = 1 ] && command -v redis-server >/dev/null 2>&1; then
    mkdir -p "$W/redis"
    redis-server --bind 127.0.0.1 --port "$P_REDIS" --save '' --appendonly no --dir "$W/redis" --daemonize no \
        >"$W/redis/redis.log" 2>&1 &
    REDIS_PID=$!
    wait_port "$P_REDIS" 10
    make_conf r1 redis; make_conf r2 redis
    # r2 learns bob's moves with its IMAP watcher (the other learning route, by default; E2E_REDIS_LEARN=imapsieve
    # for the shipped IMAPSieve scripts again)
    [ "${E2E_REDIS_LEARN:-watcher}" = watcher ] && printf 'enabled = true;\naccount "bob" { host = "127.0.0.1"; port = %s; tls = "none"; user = "bob"; password = "bob-pw"; }\n' \
        "$P_IMAP" > "${CONF[r2]}/local.d/imap_watcher.conf"
    if start_daemon r1 && start_daemon r2; then
        repoint_postfix "${MILTER_PORT[r1]}"
        if [ "${E2E_REDIS_LEARN:-watcher}" = watcher ]; then
            set_learn_target none
            for ((i = 0; i < 100; i++)); do grep -q 'bob: watching' "$W/r2/mailsift.log" && break; sleep 0.2; done
        else
            set_learn_target r2
        fi
        read -r SPAM_R HAM_R SECS <<<"$(learn_flow bob bob-pw "$BOB" r2 5 "${E2E_REDIS_LEARN:-watcher}")"
        s1=$(stat_of r1)
        detail="learned through r2 (${E2E_REDIS_LEARN:-watcher}) in ${SECS}s: r2 /stat spam=$SPAM_R ham=$HAM_R, r1 /stat spam=$(json "$s1" 'd["spam"]') ham=$(json "$s1" 'd["ham"]'), embedded run spam=$SPAM_A ham=$HAM_A"
        if [ "$SPAM_R" = "$SPAM_A" ] && [ "$HAM_R" = "$HAM_A" ] && [ "$(json "$s1" 'd["spam"]')" = "$SPAM_R" ] && [ "$(json "$s1" 'd["ham"]')" = "$HAM_R" ]; then
            pass "5 redis-shared-counts" "$detail"
        else
            fail "5 redis-shared-counts" "$detail"
        fi
        judge_fresh "5 redis-fresh-verdicts" "$(fresh_check "$BOB" bob@example.test 5)"
    else
        fail "5 redis-shared-counts" "the Redis-backed daemons did not start: $(tail -n 3 "$W/r1/mailsift.log" "$W/r2/mailsift.log" 2>/dev/null | tr '\n' ';')"
    fi
else
    result SKIP "5 redis-shared-counts" "redis-server is not installed or E2E_REDIS=0"
fi

# 6. authentication (issue 12) against independent implementations, with a local authoritative DNS
AUTHMAIL="/usr/bin/python3 $ROOT/scripts/e2e/authmail.py"   # Debian's interpreter: python3-dkim is Debian's
AUTH_ID=mx.example.test   # our authserv-id: Postfix's {j} macro, its myhostname
auth_missing=""
for bin in dnsmasq dknewkey dkimverify smtp-sink unshare; do command -v "$bin" >/dev/null 2>&1 || auth_missing+=" $bin"; done
/usr/bin/python3 -c 'import dkim, dns.resolver' 2>/dev/null || auth_missing+=" python3-dkim"
if [ "${E2E_AUTH:-1}" != 1 ] || [ -n "$auth_missing" ]; then
    result SKIP "6 auth" "E2E_AUTH=${E2E_AUTH:-1}; missing:${auth_missing:- nothing} (scripts/install-test-deps.sh)"
else
    t=$(date +%s)
    read -r P_DNS P_SINK <<<"$(free_ports 2)"
    K=$W/auth/keys; M=$W/msgs/auth
    mkdir -p "$K" "$M" "$W/sink"; chown mail:mail "$W/sink"
    # our signing key, as a site makes it; the outside domains' keys with python3-dkim's dknewkey
    "$DIST/bin/mailsift" dkim-keygen -d example.test -s dkim -k "$K/example.test.dkim.key" >"$K/example.test.dkim.zone" 2>&1
    key_mode=$(stat -c %a "$K/example.test.dkim.key" 2>/dev/null)
    our_txt=$(grep -o '"[^"]*"' "$K/example.test.dkim.zone" | tr -d '"\n')
    (cd "$K" && dknewkey sender >/dev/null && dknewkey fwd >/dev/null)
    if [ "$key_mode" = 600 ] && [[ $our_txt == "v=DKIM1; k=rsa; p="* ]]; then
        pass "6 auth-dkim-keygen" "mailsift dkim-keygen: key mode 0600, TXT dkim._domainkey.example.test \"${our_txt:0:30}...\" (${#our_txt} bytes)"
    else
        fail "6 auth-dkim-keygen" "key mode ${key_mode:-none}, record: $(head -c 120 "$K/example.test.dkim.zone")"
    fi
    # what the outside domains (sender.test; partner.test, whose post a mailing list fwd.test passes on; bank.test,
    # whose name a forger uses) and we (example.test) publish
    dns_conf sender.test partner.test fwd.test bank.test example.test -- \
        --host-record=mail.sender.test,203.0.113.7 --mx-host=sender.test,mail.sender.test,10 \
        --host-record=mx.fwd.test,198.51.100.7 --mx-host=fwd.test,mx.fwd.test,10 \
        --host-record=mx.example.test,127.0.0.1 --mx-host=example.test,mx.example.test,10 \
        "sender.test=v=spf1 ip4:203.0.113.0/24 -all" "s1._domainkey.sender.test=$(cat "$K/sender.dns")" \
        "_dmarc.sender.test=v=DMARC1; p=reject" \
        "partner.test=v=spf1 ip4:203.0.113.0/24 -all" "s1._domainkey.partner.test=$(cat "$K/sender.dns")" \
        "_dmarc.partner.test=v=DMARC1; p=quarantine" \
        "bank.test=v=spf1 ip4:192.0.2.0/24 -all" "_dmarc.bank.test=v=DMARC1; p=reject" \
        "fwd.test=v=spf1 ip4:198.51.100.0/24 -all" "arc._domainkey.fwd.test=$(cat "$K/fwd.dns")" \
        "_dmarc.fwd.test=v=DMARC1; p=none" \
        "example.test=v=spf1 ip4:127.0.0.0/8 -all" "dkim._domainkey.example.test=$our_txt" \
        "_dmarc.example.test=v=DMARC1; p=quarantine"
    make_conf auth
    printf 'dns { nameserver = ["127.0.0.1:%s"]; timeout = 2s; budget = 5s; }\n' "$P_DNS" >> "${CONF[auth]}/local.d/options.inc"
    printf 'path = "%s/$domain.$selector.key";\n' "$K" > "${CONF[auth]}/local.d/dkim_signing.conf"
    # ... and seals what it receives (arc.conf; sign_inbound and use_domain = "recipient" are arc's defaults) with the
    # same key, as a forwarder would before passing mail on
    printf 'path = "%s/$domain.$selector.key";\nselector = "dkim";\n' "$K" > "${CONF[auth]}/local.d/arc.conf"
    # this site enforces DMARC policies, as Rspamd's option does
    printf 'actions { reject = "reject"; quarantine = "add header"; }\n' > "${CONF[auth]}/local.d/dmarc.conf"
    smtp-sink -u mail -h mx.remote.test -d "$W/sink/msg." "127.0.0.1:$P_SINK" 10 >"$W/sink.log" 2>&1 &
    SINK_PID=$!
    printf 'remote.test smtp:[127.0.0.1]:%s\n' "$P_SINK" > "$P/etc/transport"
    if start_dns "$P_DNS" && wait_port "$P_SINK" 10 && start_daemon auth; then
        # outside clients through XCLIENT (their addresses, not 127.0.0.1, which is local_addrs); submission with
        # SASL AUTH checked by Dovecot; the next hop for remote.test is the sink
        repoint_postfix "${MILTER_PORT[auth]}" --set smtpd_authorized_xclient_hosts=127.0.0.0/8 \
            --set smtpd_sasl_auth_enable=yes --set smtpd_sasl_type=dovecot --set "smtpd_sasl_path=inet:127.0.0.1:$P_AUTH" \
            --set "smtpd_relay_restrictions=permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination" \
            --set "transport_maps=texthash:$P/etc/transport"
        ids=$($AUTHMAIL inbound --sender-key "$K/sender.key" --fwd-key "$K/fwd.key" --authserv-id "$AUTH_ID" --tag $$ --out "$M")
        sub=$($AUTHMAIL outbound --tag $$ --out "$M")
        {
            $FLOW send --port "$P_SMTP" --rcpt alice@example.test --sender carol@sender.test --helo mail.sender.test \
                --xclient "ADDR=203.0.113.7 NAME=mail.sender.test HELO=mail.sender.test" "$M/signed.eml" "$M/tampered.eml"
            $FLOW send --port "$P_SMTP" --rcpt alice@example.test --sender team-bounces@fwd.test --helo mx.fwd.test \
                --xclient "ADDR=198.51.100.7 NAME=mx.fwd.test HELO=mx.fwd.test" "$M/arc.eml"
            $FLOW send --port "$P_SMTP" --rcpt alice@example.test --sender ceo@bank.test --helo mail.forger.test \
                --xclient "ADDR=203.0.113.99 NAME=mail.forger.test HELO=mail.forger.test" "$M/forged.eml"
            $FLOW send --port "$P_SMTP" --rcpt dan@remote.test --sender alice@example.test --helo laptop.example.test \
                --xclient "ADDR=198.51.100.20 NAME=[UNAVAILABLE] HELO=laptop.example.test" --auth alice@example.test:alice-pw "$M/submit.eml"
        } >"$W/send-6.json"
        sent=$(grep -c '"code": 250' "$W/send-6.json")
        [ "$sent" = 4 ] || fail "6 auth-send" "$((4 - sent)) of 4 not accepted: $(grep -v '"code": 250' "$W/send-6.json" | head -n 2 | tr '\n' ';')"
        forged=$(grep -F "$M/forged.eml" "$W/send-6.json")
        if [ "$(json "$forged" 'str(d["code"])[0]')" = 5 ] && [[ "$(json "$forged" 'd["text"]')" == *"DMARC Policy"* ]]; then
            pass "6 auth-dmarc-reject" "unsigned mail From bank.test (p=reject) from an address its SPF does not list: $(json "$forged" 'd["code"]') $(json "$forged" 'd["text"]')"
        else
            fail "6 auth-dmarc-reject" "SMTP answered $(json "$forged" 'd["code"]') $(json "$forged" 'd["text"]') (want 5xx Rejected due to DMARC Policy)"
        fi
        d=$($FLOW delivered --maildir "$ALICE" --timeout 60 --header Authentication-Results --header DKIM-Signature \
            "$(json "$ids" 'd["signed"]')" "$(json "$ids" 'd["tampered"]')" "$(json "$ids" 'd["arc"]')")
        echo "$d" >"$W/delivered-6.json"
        # auth_check STEP JSON 'python condition over ours (our Authentication-Results), ar (all), sym, sig' DETAIL
        auth_check() {
            local ok
            ok=$(python3 -c 'import json, sys
d = json.loads(sys.argv[1]); h = d.get("headers") or {}
ar = h.get("Authentication-Results") or []
ours = [v for v in ar if v.split(";")[0].strip() == sys.argv[3]]
sym = d.get("x_spamd_result") or ""; sig = h.get("DKIM-Signature") or []
print(bool(d["folder"]) and len(ours) == 1 and eval("(" + sys.argv[2] + ")"))' "$2" "$3" "$AUTH_ID" 2>&1)
            if [ "$ok" = True ]; then pass "$1" "$4"; else
                fail "$1" "${ok:0:100}; folder=$(json "$2" 'd["folder"]'); Authentication-Results: $(json "$2" '(d.get("headers") or {}).get("Authentication-Results")'); symbols: $(json "$2" 'd["x_spamd_result"]')"
            fi
        }
        auth_check "6 auth-signed-inbound" "$(sed -n 1p <<<"$d")" '
"dkim=pass header.d=sender.test header.s=s1" in ours[0]
and "spf=pass (" + sys.argv[3] + ": domain of carol@sender.test designates 203.0.113.7 as permitted sender) smtp.mailfrom=carol@sender.test" in ours[0]
and "dmarc=pass (policy=reject) header.from=sender.test" in ours[0]
and all(s in sym for s in ("R_DKIM_ALLOW", "R_SPF_ALLOW", "DMARC_POLICY_ALLOW", "[sender.test:+]"))
and not any("d=example.test" in s for s in sig)' \
            "dkim=pass header.d=sender.test, spf=pass, dmarc=pass (policy=reject); R_DKIM_ALLOW R_SPF_ALLOW DMARC_POLICY_ALLOW DKIM_TRACE[sender.test:+]; not signed by us"
        auth_check "6 auth-forged-ar-removed" "$(sed -n 1p <<<"$d")" '
not any("bank.test" in v for v in ar) and any(v.startswith("mx.relay.test;") for v in ar)' \
            "the Authentication-Results claiming $AUTH_ID is gone, only ours carries that name; mx.relay.test's is kept"
        auth_check "6 auth-tampered" "$(sed -n 2p <<<"$d")" '
"dkim=fail" in ours[0] and "header.d=sender.test" in ours[0] and "R_DKIM_REJECT" in sym and "[sender.test:-]" in sym
and "R_DKIM_ALLOW" not in sym' \
            "body changed after signing: dkim=fail header.d=sender.test; R_DKIM_REJECT, DKIM_TRACE[sender.test:-]"
        auth_check "6 auth-arc-forwarded" "$(sed -n 3p <<<"$d")" '
"arc=pass (\"fwd.test:s=arc:i=1\")" in ours[0] and "dkim=fail" in ours[0] and "spf=pass" in ours[0]
and "smtp.mailfrom=team-bounces@fwd.test" in ours[0] and "(policy=quarantine)" in ours[0]
and "dmarc=fail reason=\"SPF not aligned (relaxed), No valid DKIM\" header.from=partner.test" in ours[0]
and "ARC_ALLOW" in sym and "R_DKIM_REJECT" in sym and "DMARC_POLICY_QUARANTINE" in sym
and any(v.startswith("mx.fwd.test;") for v in ar) and d["x_spam"] == "Yes" and d["folder"] == "Junk"' \
            "a list footer broke dave's signature, fwd.test's dkim.arc_sign seal verifies: arc=pass, dkim=fail, ARC_ALLOW; dmarc=fail (policy=quarantine) enforced: add header, X-Spam: Yes, filed in Junk"
        # our ARC seals on what arrived, checked by python3-dkim's arcverify: the first set on carol's message, the
        # second on the list post (after fwd.test's)
        arc_result=""
        for n in 1 3; do
            f=$(json "$(sed -n ${n}p <<<"$d")" 'd["file"]')
            if [ -f "$f" ] && private_dns_available; then
                arc_result+=" i=$(grep -o '^ARC-Seal: i=[0-9]*' "$f" | head -n 1 | grep -o '[0-9]*$'): $(with_private_dns arcverify <"$f" 2>&1 | tr '\n' ' ')"
            elif [ -f "$f" ]; then
                arc_result+=" i=$(grep -o '^ARC-Seal: i=[0-9]*' "$f" | head -n 1 | grep -o '[0-9]*$'): $($AUTHMAIL verify --arc --port "$P_DNS" "$f" 2>&1 | tr '\n' ' ')"
            fi
        done
        if [ "$(grep -o "cv=b\?'\?pass" <<<"$arc_result" | wc -l)" = 2 ] && [[ $arc_result == " i=1:"*" i=2:"* ]]; then
            pass "6 auth-arc-sealed" "arc.conf seals inbound mail as example.test; arcverify:$arc_result"
        else
            fail "6 auth-arc-sealed" "arcverify:${arc_result:- no delivered files}"
        fi
        # the submission: Postfix logs status=sent once the sink has taken the message
        sub_id=$(json "$sub" 'd["submit"]') out=""
        for ((i = 0; i < 300; i++)); do
            grep -q "to=<dan@remote.test>.*status=sent" "$P/maillog" 2>/dev/null && out=$(grep -l -F "<$sub_id>" "$W"/sink/msg.* 2>/dev/null | head -n 1)
            [ -n "$out" ] && break
            grep -q "to=<dan@remote.test>.*status=\(bounced\|deferred\)" "$P/maillog" 2>/dev/null && break
            sleep 0.2
        done
        if [ -z "$out" ]; then
            fail "6 auth-submission-signed" "nothing reached the sink: $(grep 'dan@remote.test\|sasl' "$P/maillog" | tail -n 2 | tr '\n' ';')"
        else
            sig=$(grep -c '^DKIM-Signature:' "$out"); dom=$(grep -A3 '^DKIM-Signature:' "$out" | tr -d '\r\n\t ' | grep -o 'd=example.test;' | head -n 1)
            how=dkimverify
            if private_dns_available; then
                with_private_dns dkimverify <"$out" >"$W/dkimverify.out" 2>&1; rc=$?
            else
                how="python3-dkim dkim.verify (no private namespace for dkimverify)"
                $AUTHMAIL verify --port "$P_DNS" "$out" >"$W/dkimverify.out" 2>&1; rc=$?
            fi
            login=$(grep -c "sasl_method=PLAIN, sasl_username=alice@example.test" "$P/maillog")
            # an authenticated sender is not checked (SPF/DKIM/DMARC skip check_authed = false): no results
            checked=$(grep -c '^Authentication-Results:' "$out")
            if [ "$sig" = 1 ] && [ -n "$dom" ] && [ "$rc" = 0 ] && [ "$login" -ge 1 ] && [ "$checked" = 0 ]; then
                pass "6 auth-submission-signed" "alice@example.test logged in (SASL via Dovecot) from 198.51.100.20, not checked (no Authentication-Results); at the sink one DKIM-Signature d=example.test s=dkim; $how: $(tr '\n' ' ' <"$W/dkimverify.out")"
            else
                fail "6 auth-submission-signed" "DKIM-Signatures: $sig, d=example.test: ${dom:-no}, SASL logins: $login, Authentication-Results: $checked, $how exit $rc: $(tr '\n' ' ' <"$W/dkimverify.out" | head -c 200)"
            fi
        fi
        say "auth phase: $(( $(date +%s) - t ))s"
    else
        fail "6 auth" "did not start: dnsmasq $(tail -n 2 "$DNS/dnsmasq.out" 2>/dev/null | tr '\n' ';') sink $(tail -n 2 "$W/sink.log" | tr '\n' ';') mailsift $(tail -n 3 "$W/auth/mailsift.log" 2>/dev/null | tr '\n' ';')"
    fi
fi

# stop everything we started, then 7. no ERROR lines in any daemon log
for name in "${!DAEMON_PID[@]}"; do
    stop_daemon "$name"
    [ "$STOP_RC" = 0 ] || fail "stop $name" "exit $STOP_RC after $STOP_MS ms"
done
errors=$(cat "$W"/*/mailsift.log | grep -E '^[0-9-]+ [0-9:.]+ ERROR|\bERROR\b' | head -n 5)
if [ -z "$errors" ]; then
    pass "7 no-errors-in-logs" "$(cat "$W"/*/mailsift.log | wc -l) log lines, none at ERROR"
else
    fail "7 no-errors-in-logs" "$(cat "$W"/*/mailsift.log | grep -cE '\bERROR\b') ERROR lines, first: $(head -n 2 <<<"$errors" | tr '\n' ';')"
fi

leaks=$(cat "$W"/*/mailsift.log | grep -c -F -e 'shall we meet for lunch' -e 'alice-pw' -e 'bob-pw')
if [ "$leaks" = 0 ]; then
    pass "7 no-bodies-or-passwords" "neither the clean message's body nor the IMAP passwords appear in the logs"
else
    fail "7 no-bodies-or-passwords" "$leaks log lines quote a message body or a password"
fi

summary
[ $FAILED -eq 0 ]

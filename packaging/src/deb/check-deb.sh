#!/bin/bash
# Checks the package build-deb.sh wrote: control fields, contents and layout, conffiles, ownership, the bundled
# runtime (no java.desktop), and that the extracted launcher runs `--help` and `configtest` on the shipped
# /etc/mailsift. With DEB_INSTALL_TEST=1 (as root) it also installs it for real with dpkg -i, checks the system
# user and directories, and purges it again (removing the user only if this test created it).
#
# Usage: check-deb.sh OUT_DIR      Exit status: number of failed checks (0 = all passed).
set -uo pipefail

OUT=$(readlink -f "${1:?output folder of build-deb.sh}")
DEB=$(ls "$OUT"/mailsift_*_amd64.deb 2>/dev/null | head -n 1)
FAILS=0
pass() { printf 'check-deb: PASS %s\n' "$*"; }
fail() { printf 'check-deb: FAIL %s\n' "$*"; FAILS=$((FAILS + 1)); }
check() { local what=$1; shift; if "$@" >/dev/null 2>&1; then pass "$what"; else fail "$what"; fi; }

[ -n "$DEB" ] || { fail "no $OUT/mailsift_*_amd64.deb"; exit 1; }
SCRATCH=$(mktemp -d /tmp/mailsift-check-deb.XXXXXX)
trap 'rm -rf "$SCRATCH"' EXIT
dpkg-deb --info "$DEB" > "$SCRATCH/info"
dpkg-deb --contents "$DEB" > "$SCRATCH/contents"
field() { dpkg-deb --field "$DEB" "$1"; }

check "Package is mailsift" test "$(field Package)" = mailsift
check "Architecture is amd64" test "$(field Architecture)" = amd64
check "file name carries the version" test "$(basename "$DEB")" = "mailsift_$(field Version)_amd64.deb"
check "Depends has no desktop libraries (java.desktop left out)" bash -c "! dpkg-deb --field '$DEB' Depends | grep -Eq 'libx11|libasound|libxext|libxrender|libxtst|libfreetype'"
for s in postinst prerm postrm conffiles md5sums; do check "control archive has $s" grep -Eq "^ +[0-9]+ bytes, +[0-9]+ lines +[*]? +$s( |$)" "$SCRATCH/info"; done

for path in ./usr/bin/mailsift ./usr/lib/mailsift/runtime/bin/java ./lib/systemd/system/mailsift.service \
            ./etc/mailsift/local.d/ ./etc/mailsift/override.d/ ./etc/default/mailsift ./var/lib/mailsift/ \
            ./var/log/mailsift/ ./usr/share/doc/mailsift/copyright; do
    check "contains $path" grep -Eq " ${path//./\\.}( |$)" "$SCRATCH/contents"
done
check "contains the agent jar in /usr/lib/mailsift/lib" grep -Eq ' \./usr/lib/mailsift/lib/mailsift-agent-[^/]*\.jar$' "$SCRATCH/contents"
check "ships the Postfix snippet" grep -Eq ' \./usr/share/mailsift/postfix/main\.cf\.mailsift$' "$SCRATCH/contents"
check "ships the Dovecot 2.3 snippet" grep -Eq ' \./usr/share/mailsift/dovecot/2\.3/90-mailsift\.conf$' "$SCRATCH/contents"
check "ships Sieve scripts under /usr/share/mailsift" grep -Eq ' \./usr/share/mailsift/.*spam-to-junk\.sieve$' "$SCRATCH/contents"
check "local.d/ and override.d/ are not world-readable in the archive (drwxr-x---)" bash -c \
    "[ \"\$(grep -Ec '^drwxr-x--- .* \./etc/mailsift/(local|override)\.d/\$' '$SCRATCH/contents')\" = 2 ]"
check "every entry is owned by root/root" bash -c "! awk '{print \$2}' '$SCRATCH/contents' | grep -v '^root/root$'"

dpkg-deb --control "$DEB" "$SCRATCH/DEBIAN"
dpkg-deb -x "$DEB" "$SCRATCH/root"
R=$SCRATCH/root

check "conffiles lists exactly the files under /etc" \
    diff <(sort "$SCRATCH/DEBIAN/conffiles") <(cd "$R" && find etc -type f | sed 's|^|/|' | sort)
check "conffiles lists /etc/mailsift files" grep -q '^/etc/mailsift/' "$SCRATCH/DEBIAN/conffiles"
check "local.d/ and override.d/ are shipped empty" bash -c "[ -z \"\$(find '$R/etc/mailsift/local.d' '$R/etc/mailsift/override.d' -mindepth 1)\" ]"
for s in postinst prerm postrm; do check "$s is valid sh" sh -n "$SCRATCH/DEBIAN/$s"; done
check "md5sums match the contents" bash -c "cd '$R' && md5sum --quiet -c '$SCRATCH/DEBIAN/md5sums'"

UNIT=$R/lib/systemd/system/mailsift.service
for line in 'ExecStart=/usr/bin/mailsift run -c /etc/mailsift --dbdir /var/lib/mailsift' 'ExecReload=/bin/kill -HUP $MAINPID' \
            'Restart=on-failure' 'NoNewPrivileges=yes' 'ProtectSystem=strict' 'PrivateTmp=yes' 'ProtectHome=yes' \
            'User=mailsift' 'ReadWritePaths=/var/lib/mailsift /var/log/mailsift' 'RuntimeDirectory=mailsift' \
            'SystemCallFilter=@system-service' 'SystemCallArchitectures=native' 'ProtectProc=invisible' 'PrivateMounts=yes' \
            'RemoveIPC=yes'; do
    check "unit has $line" grep -qxF "$line" "$UNIT"
done
if command -v systemd-analyze >/dev/null 2>&1; then
    # the launcher is not installed on the build host: ignore only that complaint
    check "systemd-analyze verify accepts the unit" bash -c "! systemd-analyze verify '$UNIT' 2>&1 | grep -v 'Command /usr/bin/mailsift is not executable' | grep -q ."
fi

JAVA=$R/usr/lib/mailsift/runtime/bin/java
"$JAVA" --list-modules > "$SCRATCH/modules" 2>&1
check "/usr/bin/mailsift is a relative symlink to the distribution launcher" test "$(readlink "$R/usr/bin/mailsift")" = ../lib/mailsift/bin/mailsift
check "the distribution's etc/ and data/ are the FHS places" \
    test "$(readlink "$R/usr/lib/mailsift/etc"):$(readlink "$R/usr/lib/mailsift/data")" = ../../../etc/mailsift:../../../var/lib/mailsift
check "the IMAPSieve learn helper is executable and linked from sieve_pipe_bin_dir" \
    test -x "$R/usr/lib/mailsift/sieve-pipe/mailsift-learn"
check "bundled runtime runs" grep -q '^java.base@' "$SCRATCH/modules"
check "bundled runtime has no java.desktop" bash -c "! grep -q '^java.desktop@' '$SCRATCH/modules'"
check "bundled runtime has jdk.unsupported (signals)" grep -q '^jdk.unsupported@' "$SCRATCH/modules"
check "bundled runtime has jdk.charsets" grep -q '^jdk.charsets@' "$SCRATCH/modules"

export MAILSIFT_JAVA= JAVA_HOME=   # only the bundled runtime may be used
HELP=$("$R/usr/bin/mailsift" --help 2>&1); rc=$?
if [ $rc -eq 0 ] && grep -q 'run' <<<"$HELP"; then pass "extracted launcher: mailsift --help"; else fail "extracted launcher: mailsift --help (rc=$rc): $(head -n 3 <<<"$HELP")"; fi
CT=$("$R/usr/bin/mailsift" configtest -c "$R/etc/mailsift" 2>&1); rc=$?
if [ $rc -eq 0 ]; then pass "extracted launcher: configtest on the shipped /etc/mailsift"; else fail "configtest on the shipped /etc/mailsift (rc=$rc): $(tail -n 3 <<<"$CT")"; fi


# The daemon on the bundled runtime: a module jlink left out would only show at run time (netty, the store, TLS).
PORTS=$(python3 -c 'import socket
s=[socket.socket() for _ in range(3)]
[x.bind(("127.0.0.1",0)) for x in s]
print(" ".join(str(x.getsockname()[1]) for x in s))' 2>/dev/null)
if [ -n "$PORTS" ]; then
    read -r PM PN PC <<<"$PORTS"
    C=$SCRATCH/conf; cp -a "$R/etc/mailsift" "$C"; mkdir -p "$SCRATCH/db"
    printf 'bind_socket = "127.0.0.1:%s";\nmilter = yes;\n' "$PM" > "$C/override.d/worker-proxy.inc"
    printf 'bind_socket = "127.0.0.1:%s";\n' "$PN" > "$C/override.d/worker-normal.inc"
    printf 'bind_socket = "127.0.0.1:%s";\nsecure_ip = "127.0.0.1";\n' "$PC" > "$C/override.d/worker-controller.inc"
    "$R/usr/bin/mailsift" run -c "$C" --dbdir "$SCRATCH/db" >"$SCRATCH/run.log" 2>&1 &
    DPID=$!
    for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$PC/ping" >/dev/null 2>&1 && break; sleep 0.1; done
    printf 'From: a@example.org\r\nTo: b@example.org\r\nSubject: check\r\nMessage-ID: <check-deb@example.org>\r\n\r\nhello\r\n' > "$SCRATCH/m.eml"
    ACTION=$(curl -sf --data-binary @"$SCRATCH/m.eml" "http://127.0.0.1:$PN/checkv2" | sed -n 's/.*"action":"\([^"]*\)".*/\1/p')
    kill -TERM "$DPID" 2>/dev/null; wait "$DPID"; DRC=$?
    if [ -n "$ACTION" ] && [ $DRC -eq 0 ]; then
        pass "extracted launcher: the daemon runs on the bundled runtime (checkv2 action '$ACTION'), SIGTERM exits 0"
    else
        fail "daemon on the bundled runtime: action='$ACTION' exit=$DRC: $(grep -m 3 -E 'ERROR|Exception|Error' "$SCRATCH/run.log")"
    fi
fi

if [ "${DEB_INSTALL_TEST:-0}" = 1 ]; then
    if [ "$(id -u)" != 0 ]; then
        fail "DEB_INSTALL_TEST=1 needs root"
    elif dpkg-query -W -f='${Status}' mailsift 2>/dev/null | grep -q installed; then
        fail "a mailsift package is already installed; not touching it"
    elif [ -e /etc/mailsift ] || [ -e /var/lib/mailsift ]; then
        fail "/etc/mailsift or /var/lib/mailsift exists (left from an earlier install?); not touching it"
    else
        HAD_USER=0; getent passwd mailsift >/dev/null && HAD_USER=1
        if dpkg -i "$DEB" >"$SCRATCH/dpkg-i.log" 2>&1; then
            pass "dpkg -i (no systemd running)"
            check "postinst created the mailsift system user" bash -c "getent passwd mailsift | awk -F: '\$3 < 1000 {ok=1} END {exit !ok}'"
            check "/var/lib/mailsift belongs to mailsift" test "$(stat -c %U /var/lib/mailsift)" = mailsift
            check "the learn spool is setgid mailsift, group-writable (for Dovecot's mail user), sticky" \
                test "$(stat -c %a:%G /var/lib/mailsift/spool/new):$(stat -c %a /var/lib/mailsift/spool)" = 3770:mailsift:3770
            for d in local.d override.d; do
                check "/etc/mailsift/$d is 0750 root:mailsift (passwords: the daemon reads them, other users do not)" \
                    test "$(stat -c %a:%U:%G /etc/mailsift/$d)" = 750:root:mailsift
            done
            check "the daemon user can read local.d, other users cannot" bash -c \
                "runuser -u mailsift -- ls /etc/mailsift/local.d >/dev/null && ! runuser -u nobody -- ls /etc/mailsift/local.d >/dev/null 2>&1"
            check "the daemon user can save into /var/lib/mailsift/dynamic (0750 mailsift) and not into local.d" bash -c \
                "[ \"\$(stat -c %a:%U /var/lib/mailsift/dynamic)\" = 750:mailsift ] && runuser -u mailsift -- touch /var/lib/mailsift/dynamic/probe \
                 && rm /var/lib/mailsift/dynamic/probe && ! runuser -u mailsift -- touch /etc/mailsift/local.d/probe 2>/dev/null"
            printf 'reject = 14;\n' > "$SCRATCH/saved-actions.conf"
            install -o mailsift -g mailsift -m 0640 "$SCRATCH/saved-actions.conf" /var/lib/mailsift/dynamic/actions.conf
            check "configdump merges what the daemon saved over /etc/mailsift" bash -c \
                "/usr/bin/mailsift configdump actions | grep -q 'dynamic/actions.conf' && /usr/bin/mailsift configdump actions | grep -q 'reject = 14'"
            rm -f /var/lib/mailsift/dynamic/actions.conf
            check "installed mailsift --help" /usr/bin/mailsift --help
            check "installed configtest (defaults to /etc/mailsift)" /usr/bin/mailsift configtest
            printf 'From: a@example.org\r\nSubject: hi\r\nMessage-ID: <deb@example.org>\r\n\r\nhello\r\n' > "$SCRATCH/cli.eml"
            check "mailsift scan as the mailsift user uses /var/lib/mailsift by default" \
                bash -c "runuser -u mailsift -- /usr/bin/mailsift scan - < '$SCRATCH/cli.eml' >/dev/null && [ -n \"\$(ls -A /var/lib/mailsift | grep -v '^spool\$')\" ] && [ -L /usr/lib/mailsift/data ]"
            # an upgrade (here: the same package again) keeps the admin's edits and local.d files
            echo '# edited by the admin' >> /etc/mailsift/actions.conf
            echo 'add_header = 7;' > /etc/mailsift/local.d/actions.conf
            if dpkg -i --force-confold "$DEB" >"$SCRATCH/dpkg-upgrade.log" 2>&1; then
                check "an upgrade keeps an edited conffile and local.d/" bash -c \
                    "grep -q 'edited by the admin' /etc/mailsift/actions.conf && grep -q 'add_header = 7' /etc/mailsift/local.d/actions.conf"
                check "an upgrade keeps local.d/ 0750 root:mailsift" test "$(stat -c %a:%U:%G /etc/mailsift/local.d)" = 750:root:mailsift
            else
                fail "reinstall over an edited conffile: $(tail -n 3 "$SCRATCH/dpkg-upgrade.log")"
            fi
            check "a daemon start as the mailsift user can write its dbdir" \
                runuser -u mailsift -- sh -c 'touch /var/lib/mailsift/.probe && rm /var/lib/mailsift/.probe'
        else
            fail "dpkg -i: $(tail -n 5 "$SCRATCH/dpkg-i.log")"
        fi
        dpkg -P mailsift >"$SCRATCH/dpkg-p.log" 2>&1 && pass "dpkg -P" || fail "dpkg -P: $(tail -n 5 "$SCRATCH/dpkg-p.log")"
        # dpkg leaves files the admin made (our local.d/actions.conf above): only those may remain in /etc/mailsift
        check "purge removed /usr/lib/mailsift, /var/lib/mailsift and every shipped /etc/mailsift file" \
            bash -c '[ ! -e /usr/lib/mailsift ] && [ ! -e /var/lib/mailsift ] && [ "$(find /etc/mailsift -type f 2>/dev/null)" = /etc/mailsift/local.d/actions.conf ]'
        check "purge removed the statoverrides of local.d/ and override.d/" bash -c "! dpkg-statoverride --list '/etc/mailsift/*' | grep -q ."
        rm -rf /etc/mailsift
        if [ $HAD_USER = 0 ] && getent passwd mailsift >/dev/null; then
            userdel mailsift >/dev/null 2>&1; groupdel mailsift >/dev/null 2>&1 || true
        fi
    fi
fi

echo "check-deb: $FAILS failed ($(basename "$DEB"), $(du -h "$DEB" | cut -f1))"
exit "$FAILS"

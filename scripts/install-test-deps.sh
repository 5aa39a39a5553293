#!/usr/bin/env bash
# Installs the Debian packages whose binaries the integration tests start on loopback (each test skips cleanly
# when its binary is missing). Idempotent: installs only what is missing, runs `apt-get update` at most once,
# and never starts the system daemons (a temporary policy-rc.d denies it). Needs root or sudo; without either,
# or without apt-get, it says what is missing and carries on.
set -euo pipefail

packages=(postfix redis-server dovecot-imapd dovecot-lmtpd dovecot-sieve rspamd miltertest swaks curl chromium chromium-driver
          dnsmasq-base python3-dkim python3-authres opendkim-tools iproute2)

installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'
}

if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
    echo "install-test-deps: not a Debian/Ubuntu system; tests needing ${packages[*]} will be skipped" >&2
    exit 0
fi

missing=()
for p in "${packages[@]}"; do
    installed "$p" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
else
    echo "install-test-deps: not root and no passwordless sudo; missing ${missing[*]} (those tests will be skipped)" >&2
    exit 0
fi

echo "install-test-deps: installing ${missing[*]}" >&2
# Keep package scripts from starting postfix/redis/dovecot/rspamd: tests run their own instances.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
    "${as_root[@]}" sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod 755 $policy"
    trap '"${as_root[@]}" rm -f "$policy"' EXIT
fi
echo "postfix postfix/main_mailer_type select No configuration" | "${as_root[@]}" debconf-set-selections
"${as_root[@]}" apt-get update -q
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"

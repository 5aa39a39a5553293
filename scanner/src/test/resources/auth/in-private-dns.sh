#!/bin/sh
# Runs a command inside a private mount + network namespace whose /etc/resolv.conf points at a dnsmasq on
# 127.0.0.1:53 reading DNSMASQ_CONF (txt-record= lines), so programs that only use the system resolver
# (opendkim-testmsg) see the test's keys and nothing of the host's DNS. Start it as root with
#   unshare --mount --net sh in-private-dns.sh WORKDIR DNSMASQ_CONF COMMAND...
# The command's stdin, stdout, stderr and exit code are passed through.
set -eu
work=$1; conf=$2; shift 2
ip link set lo up
echo "nameserver 127.0.0.1" > "$work/resolv.conf"
mount --bind "$work/resolv.conf" /etc/resolv.conf
dnsmasq --conf-file="$conf" --no-hosts --no-resolv --port=53 --listen-address=127.0.0.1 --bind-interfaces \
    --pid-file="$work/dnsmasq.pid"
rc=0
"$@" || rc=$?
kill "$(cat "$work/dnsmasq.pid")" 2>/dev/null || true
exit $rc

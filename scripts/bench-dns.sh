#!/usr/bin/env bash
# DNS checks benchmark (issue 13): what the DNS lists (rbl.conf) and hostname checks (hfilter.conf) cost a scan with
# a warm cache. `mailsift bench --compare` runs two configurations in turns in one JVM over the SpamAssassin corpus
# (ham + spam), both with the same resolver -- dnsmasq on loopback, authoritative for every stock list zone, the
# corpus' top-level domains and the bench sender's zones, so every lookup gets a real cached answer -- and the same
# authentication checks: "off" has local.d/rbl.conf and hfilter.conf with enabled = false, "on" is the stock
# configuration. Both caches are warmed by two passes over the corpus first. Prints the cost of "on" in throughput
# and in CPU time (mean of four rounds and worst round, 1 thread and THREADS threads) and the DNS queries sent while
# measuring (about none with a warm cache). Target: at most 15%.
#
#   scripts/bench-dns.sh                 # SECONDS_PER_RUN=10, THREADS=cores
#   SECONDS_PER_RUN=20 THREADS=2 scripts/bench-dns.sh
#   WHOLE_DNS=1 scripts/bench-dns.sh     # also the stock configuration against no resolver at all (what every DNS
#                                        # check costs: authentication's too)
#
# Needs root (dnsmasq), dnsmasq-base, a built ./mailsift, and the corpus (MAILSIFT_CORPUS, default /work/shared/corpus/sa).
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

cp -r "$root/etc" "$work/on"
# a generous timeout and no "nameserver down" verdict: dnsmasq on a loaded 2-core box can take longer than a third
# of a second under the warm-up's burst, and a lookup that times out is not cached
printf 'dns { nameserver = ["127.0.0.1:%s"]; cache_size = 400000; timeout = 5s; budget = 5s; max_errors = 1000000; }\n' \
    "$port" > "$work/on/local.d/options.inc"
cp -r "$work/on" "$work/off"
echo 'enabled = false;' > "$work/off/local.d/rbl.conf"
echo 'enabled = false;' > "$work/off/local.d/hfilter.conf"
m="$root/mailsift"
envelope=(--ip 203.0.113.7 --helo mail.bench.test --from sender@bench.test)
echo "== DNS lists and hostname checks off (this configuration) and on ($work/on), same resolver, warm cache"
"$m" bench -c "$work/off" --compare "$work/on" --seconds "$SECS" --threads "$THREADS" "${envelope[@]}" \
    "$CORPUS/ham" "$CORPUS/spam"
if [ -n "${WHOLE_DNS:-}" ]; then
    echo "== stock configuration with the resolver against no resolver (authentication's cost included)"
    "$m" bench -c "$work/on" --seconds "$SECS" --threads "$THREADS" "${envelope[@]}" "$CORPUS/ham" "$CORPUS/spam"
fi

#!/usr/bin/env bash
# Email authentication benchmark (issue 12, Speed): `mailsift bench --auth --auth-dns` over the SpamAssassin corpus
# (ham + spam), the stock configuration with the DNS lists (rbl) and hostname checks (hfilter) off, so the only
# network checks left are SPF, DKIM verify, DMARC and ARC. One engine without a resolver and one asking Debian's
# dnsmasq on loopback alternate in rounds in one JVM, after two passes that warm the resolver's cache.
# Target: with every answer cached, the checks cost at most 20% of the throughput (mean of rounds, 1 and 2 threads).
#
# The mix (printed by the bench as "authentication results over the messages"):
#   - envelope: client 203.0.113.7 (mail.bench.test), MAIL FROM sender@bench.test; bench.test publishes
#     "v=spf1 include:_spf.bench.test -all" and _spf.bench.test "v=spf1 ip4:198.51.100.0/24 a:mail.bench.test -all"
#     (three lookups, SPF pass), and _dmarc.bench.test "v=DMARC1; p=reject";
#   - every third message (SIGNED_EVERY=3; 0 signs none, 1 all) is DKIM-signed (rsa-sha256, 2048-bit key,
#     relaxed/relaxed) by python3-dkim for d=bench.test, s=bench, whose key dnsmasq serves (the corpus itself carries
#     no signature); each signed message costs one RSA-2048 verification, ~45 us of CPU here, the JDK's BigInteger;
#   - From domains are the corpus' own: dnsmasq is authoritative for their top-level domains, so every DMARC lookup
#     gets a definite NXDOMAIN (cached by its SOA minimum) as from a real resolver.
# dnsmasq logs every query it receives; the script counts them before and after the bench and the bench counts the
# queries it sent while measuring: both must show none went out after the warm-up.
#
#   scripts/bench-auth.sh                  # SECONDS_PER_RUN=6 (3 s per side and round), ROUNDS=6, THREADS=2
#   SIGNED_EVERY=0 scripts/bench-auth.sh   # the corpus as it is: SPF and DMARC records, no DKIM signature
#
# Needs root (dnsmasq), dnsmasq-base, python3-dkim, a built ./mailsift, the corpus (MAILSIFT_CORPUS).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
CORPUS=${MAILSIFT_CORPUS:-/work/shared/corpus/sa}
SECS=${SECONDS_PER_RUN:-6}; THREADS=${THREADS:-2}; ROUNDS=${ROUNDS:-6}; SIGNED_EVERY=${SIGNED_EVERY:-3}
[ -d "$CORPUS/ham" ] || { echo "bench-auth: SKIP (no corpus at $CORPUS)"; exit 0; }
command -v dnsmasq >/dev/null || { echo "bench-auth: apt-get install dnsmasq-base" >&2; exit 1; }
/usr/bin/python3 -c 'import dkim' 2>/dev/null || { echo "bench-auth: apt-get install python3-dkim" >&2; exit 1; }
work=$(mktemp -d /tmp/mailsift-bench-auth.XXXXXX); dns_pid=""
cleanup() { [ -n "$dns_pid" ] && kill "$dns_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# the messages: the corpus, every third one signed for bench.test
openssl genrsa -out "$work/bench.key" 2048 2>/dev/null
pub=$(openssl rsa -in "$work/bench.key" -pubout -outform DER 2>/dev/null | base64 -w0)
mkdir -p "$work/mail"
/usr/bin/python3 - "$CORPUS" "$work/bench.key" "$work/mail" "$SIGNED_EVERY" <<'PY'
import os, sys, dkim
corpus, keyfile, out, every = sys.argv[1:]
every = int(every)
key = open(keyfile, "rb").read()
n = 0
for kind in ("ham", "spam"):
    for name in sorted(os.listdir(os.path.join(corpus, kind))):
        raw = open(os.path.join(corpus, kind, name), "rb").read()
        if every > 0 and n % every == 0:
            try:
                sig = dkim.sign(raw, b"bench", b"bench.test", key, canonicalize=(b"relaxed", b"relaxed"),
                                include_headers=[b"from", b"to", b"subject", b"date", b"message-id"])
                raw = sig + raw
            except Exception:  # a message python3-dkim cannot parse stays unsigned
                pass
        open(os.path.join(out, "%05d" % n), "wb").write(raw)
        n += 1
PY

port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# authoritative for the corpus' top-level domains too (From domains' DMARC lookups get NXDOMAIN, cached)
tlds=$(grep -rhoaE '@[A-Za-z0-9.-]+\.[A-Za-z]{2,12}' "$CORPUS" | sed 's/.*\.//' | tr 'A-Z' 'a-z' | sort -u \
       | grep -vx 'test' | sed 's/^/--auth-zone=/')
# shellcheck disable=SC2086
dnsmasq --keep-in-foreground --port="$port" --listen-address=127.0.0.1 --bind-interfaces --no-resolv --no-hosts \
    --no-poll --user=root --group=root --conf-file=/dev/null --pid-file="$work/pid" --log-facility="$work/log" \
    --log-queries --auth-server=ns.bench.test,127.0.0.1 --auth-ttl=3600 $tlds --auth-zone=bench.test \
    --host-record=mail.bench.test,203.0.113.7 \
    --txt-record=bench.test,"v=spf1 include:_spf.bench.test -all" \
    --txt-record=_spf.bench.test,"v=spf1 ip4:198.51.100.0/24 a:mail.bench.test -all" \
    --txt-record=_dmarc.bench.test,"v=DMARC1; p=reject; rua=mailto:dmarc@bench.test" \
    --txt-record=bench._domainkey.bench.test,"v=DKIM1; k=rsa; p=${pub:0:200}","${pub:200}" & dns_pid=$!

for _ in $(seq 100); do grep -q 'started' "$work/log" 2>/dev/null && break; sleep 0.1; done

cp -r "$root/etc" "$work/etc"
printf 'dns { nameserver = ["127.0.0.1:%s"]; }\n' "$port" > "$work/etc/local.d/options.inc"
printf 'enabled = false;\n' > "$work/etc/local.d/rbl.conf"
printf 'enabled = false;\n' > "$work/etc/local.d/hfilter.conf"
queries() { grep -cE ': (auth|query)\[' "$work/log" 2>/dev/null || true; }
"$root/mailsift" bench -c "$work/etc" --auth --auth-dns --seconds "$SECS" --rounds "$ROUNDS" --threads "$THREADS" \
    --ip 203.0.113.7 --helo mail.bench.test --from sender@bench.test "$work/mail" | tee "$work/out"
warm=$(sed -n 's/^warm-up sent \([0-9]*\) queries$/\1/p' "$work/out")
during=$(sed -n 's/^queries sent while measuring: \([0-9]*\).*$/\1/p' "$work/out")
refused=$(awk '/: auth\[/ { q = $(NF-2) " " $(NF-3) } /REFUSED/ { print q }' "$work/log" | sort -u | head -5 | tr '\n' ' ')
[ -z "$refused" ] || echo "dnsmasq refused (not authoritative): $refused"
echo "dnsmasq received $(queries) queries in all; mailsift sent $warm during the warm-up and ${during:-?} while measuring"

#!/usr/bin/python3
"""The independent DKIM/ARC implementation the tests compare against: Debian's python3-dkim (dkimpy).

usage: dkimpy.py sign KEYFILE DOMAIN SELECTOR CANON HEADERS ALG LENGTH < msg > signed
       dkimpy.py arcsign KEYFILE DOMAIN SELECTOR SRVID < msg > sealed
       dkimpy.py verify ZONEFILE < msg          (prints pass/fail)
       dkimpy.py arcverify ZONEFILE < msg       (prints the cv result)
ZONEFILE has lines "NAME<TAB>TXT" answered instead of DNS.
"""
import sys
import dkim


def zone(path):
    records = {}
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if "\t" in line:
                name, txt = line.split("\t", 1)
                records[name.lower().rstrip(".")] = txt.encode()
    return lambda name, timeout=5: records.get(name.decode().lower().rstrip(".") if isinstance(name, bytes) else name.lower().rstrip("."))


def main():
    cmd = sys.argv[1]
    msg = sys.stdin.buffer.read()
    if cmd == "sign":
        keyfile, domain, selector, canon, headers, alg, length = sys.argv[2:9]
        key = open(keyfile, "rb").read()
        c = canon.split("/")
        sig = dkim.sign(msg, selector.encode(), domain.encode(), key,
                        canonicalize=(c[0].encode(), c[1].encode()),
                        include_headers=[h.encode() for h in headers.split(":")] if headers != "-" else None,
                        signature_algorithm=alg.encode(), length=(length == "yes"))
        sys.stdout.buffer.write(sig + msg)
    elif cmd == "arcsign":
        keyfile, domain, selector, srvid = sys.argv[2:6]
        key = open(keyfile, "rb").read()
        headers = dkim.arc_sign(msg, selector.encode(), domain.encode(), key, srvid.encode(),
                                include_headers=[b"from", b"to", b"subject", b"date", b"message-id"])
        sys.stdout.buffer.write(b"".join(headers) + msg)
    elif cmd == "verify":
        print("pass" if dkim.verify(msg, dnsfunc=zone(sys.argv[2])) else "fail")
    elif cmd == "arcverify":
        cv, results, reason = dkim.arc_verify(msg, dnsfunc=zone(sys.argv[2]))
        print(cv.decode() if isinstance(cv, bytes) else cv, reason)
    else:
        sys.exit("unknown command " + cmd)


main()

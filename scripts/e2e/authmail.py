#!/usr/bin/env python3
"""Messages of scripts/e2e.sh's authentication phase, signed by an independent implementation (Debian's
python3-dkim), and a check of what mailsift signed.

Subcommands:
  inbound   writes the mail outside domains send us: signed.eml (dkim.sign by sender.test, with a forged
            Authentication-Results in our name and a foreign one), tampered.eml (the same, body changed after
            signing), arc.eml (signed by partner.test, a footer added by the mailing list fwd.test, which records
            its own Authentication-Results and seals the message with dkim.arc_sign), forged.eml (unsigned, From
            bank.test, which publishes DMARC p=reject); prints their Message-IDs
  outbound  writes submit.eml: what an authenticated user of our domain sends to another provider
  verify    dkim.verify (--arc: dkim.arc_verify) of a message with the keys asked of a nameserver on
            127.0.0.1:PORT (for a machine where dkimverify / arcverify cannot run with a private /etc/resolv.conf);
            prints what they print, exit 0 when it verifies
"""
import argparse
import json
import os
import sys

import dkim


def message(sender, to, subject, msgid, body, extra=b""):
    return (b"From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: Thu, 03 Dec 2026 10:00:00 +0000\r\nMessage-ID: <%s>\r\n"
            b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n%s\r\n%s"
            % (sender.encode(), to.encode(), subject.encode(), msgid.encode(), extra, body.encode()))


def read(path):
    with open(path, "rb") as fh:
        return fh.read()


def write(out, name, raw):
    with open(os.path.join(out, name), "wb") as fh:
        fh.write(raw)


def signed(raw, domain, selector, key):
    return dkim.sign(raw, selector.encode(), domain.encode(), key, linesep=b"\r\n") + raw


def cmd_inbound(args):
    key, fwd_key = read(args.sender_key), read(args.fwd_key)
    os.makedirs(args.out, exist_ok=True)
    ids = {n: "%s.%s@sender.test" % (n, args.tag) for n in ("signed", "tampered", "arc", "forged")}
    # a forged result in our name (the sender claims we checked it) and a relay's own one, which is kept
    forged = ("Authentication-Results: %s; dkim=pass header.d=bank.test; spf=pass smtp.mailfrom=ceo@bank.test\r\n"
              "Authentication-Results: mx.relay.test; spf=pass smtp.mailfrom=carol@sender.test\r\n" % args.authserv_id)
    minutes = "Hi Alice,\r\nthe minutes of Tuesday's meeting are below.\r\nRegards, Carol\r\n"
    good = signed(message("Carol <carol@sender.test>", "Alice <alice@example.test>", "Minutes", ids["signed"],
                          minutes), "sender.test", "s1", key)
    write(args.out, "signed.eml", forged.encode() + good)
    copy = signed(message("Carol <carol@sender.test>", "Alice <alice@example.test>", "Minutes", ids["tampered"],
                          minutes), "sender.test", "s1", key)
    write(args.out, "tampered.eml", copy.replace(b"Tuesday's meeting", b"Tuesday's  meeting (edited)"))
    # a mailing list: receives dave's signed post, adds its footer (the signature's body hash breaks), records what
    # it saw and seals the result (ARC), as a forwarder does
    post = signed(message("Dave <dave@partner.test>", "team@fwd.test", "Agenda", ids["arc"],
                          "Agenda for Thursday: budget, hiring.\r\n"), "partner.test", "s1", key)
    post = post + b"--\r\nteam mailing list -- https://fwd.test/team\r\n"
    post = (b"Authentication-Results: mx.fwd.test; dkim=pass header.d=partner.test header.s=s1;"
            b" spf=pass smtp.mailfrom=dave@partner.test; dmarc=pass header.from=partner.test\r\n") + post
    seal = dkim.arc_sign(post, b"arc", b"fwd.test", fwd_key, b"mx.fwd.test")
    if not seal:
        raise SystemExit("dkim.arc_sign made no ARC set (no Authentication-Results of mx.fwd.test?)")
    write(args.out, "arc.eml", b"".join(seal) + post)
    write(args.out, "forged.eml", message("Bank <ceo@bank.test>", "Alice <alice@example.test>", "Urgent transfer",
                                          ids["forged"], "Please wire the money today.\r\n"))
    print(json.dumps(ids))


def cmd_outbound(args):
    os.makedirs(args.out, exist_ok=True)
    msgid = "submit.%s@example.test" % args.tag
    write(args.out, "submit.eml", message("Alice <alice@example.test>", "Dan <dan@remote.test>", "Re: Minutes", msgid,
                                          "Thanks Carol, the minutes look right to me.\r\nAlice\r\n"))
    print(json.dumps({"submit": msgid}))


def cmd_verify(args):
    import dns.resolver  # python3-dnspython, which python3-dkim depends on

    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = ["127.0.0.1"]
    resolver.port = args.port

    def txt(name, timeout=5):
        answer = resolver.resolve(name.decode().rstrip("."), "TXT", lifetime=timeout)
        return b"".join(b"".join(r.strings) for r in answer[:1])

    if args.arc:
        cv, _, comment = dkim.arc_verify(read(args.file), dnsfunc=txt)
        print("arc verification: cv=%s %s" % (cv, comment))
        return 0 if cv == dkim.CV_Pass else 1
    ok = dkim.verify(read(args.file), dnsfunc=txt)
    print("signature ok" if ok else "signature verification failed")
    return 0 if ok else 1


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("inbound")
    s.add_argument("--sender-key", required=True, help="sender.test's private key (selector s1)")
    s.add_argument("--fwd-key", required=True, help="fwd.test's private key (ARC, selector arc)")
    s.add_argument("--authserv-id", required=True, help="our authserv-id, which the forged result claims")
    s.add_argument("--tag", required=True, help="makes the Message-IDs unique")
    s.add_argument("--out", required=True)
    s.set_defaults(fn=cmd_inbound)
    s = sub.add_parser("outbound")
    s.add_argument("--tag", required=True)
    s.add_argument("--out", required=True)
    s.set_defaults(fn=cmd_outbound)
    s = sub.add_parser("verify")
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--arc", action="store_true", help="the ARC chain instead of the DKIM signature")
    s.add_argument("file")
    s.set_defaults(fn=cmd_verify)
    args = p.parse_args()
    return args.fn(args)


if __name__ == "__main__":
    sys.exit(main())

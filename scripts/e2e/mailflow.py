#!/usr/bin/env python3
"""Mail-side helpers for scripts/e2e.sh (Python standard library only).

Subcommands:
  pick        choose training and fresh messages from the SA corpus (unique Message-IDs, mbox From_ line stripped)
  send        send messages through Postfix with smtplib; prints one JSON line per message (SMTP code, text);
              optionally as another client (XCLIENT) and logged in (AUTH)
  delivered   wait until messages (by Message-ID) appear in a Maildir; prints folder and verdict headers as JSON
  learn-moves the user's moves over IMAP: spam INBOX -> Junk, ham Junk -> INBOX (imaplib, UID MOVE)
  stat        learned counts from the controller's /stat
"""
import argparse
import email.parser
import email.policy
import glob
import hashlib
import imaplib
import json
import os
import random
import re
import smtplib
import sys
import time
import urllib.request

HEADER_PARSER = email.parser.BytesHeaderParser(policy=email.policy.compat32)


def strip_mbox_line(raw):
    if raw.startswith(b"From "):
        nl = raw.find(b"\n")
        raw = raw[nl + 1:] if nl >= 0 else b""
    return raw


def message_id(raw):
    return message_id_of(HEADER_PARSER.parsebytes(raw))


def message_id_of(headers):
    value = headers.get("Message-ID")
    if not value:
        return None
    m = re.search(r"<([^>]+)>", str(value))
    return m.group(1).strip() if m else str(value).strip()


def body_key(raw):
    """The body with whitespace collapsed: the corpus has the same mail under several Message-IDs (one per
    recipient), which the daemon rightly treats as one message (it learns by content digest)."""
    raw = raw.replace(b"\r\n", b"\n")
    return hashlib.md5(b" ".join(raw[raw.find(b"\n\n") + 2:].split())).hexdigest()


def cmd_pick(args):
    """Deterministic: sorted file names shuffled with a fixed seed; messages over 100 kB, without a unique
    Message-ID or with the body of one already picked are skipped, so that "learned exactly once" and "delivered"
    can be checked by Message-ID."""
    counts = {}
    seen = set()
    bodies = set()
    for cls in ("spam", "ham"):
        files = sorted(glob.glob(os.path.join(args.corpus, cls, "*.eml")))
        random.Random(8).shuffle(files)
        need = {"train": args.train, "fresh": args.fresh}
        got = {"train": 0, "fresh": 0}
        for f in files:
            phase = "train" if got["train"] < need["train"] else "fresh"
            if got[phase] >= need[phase]:
                break
            if os.path.getsize(f) > 100_000:
                continue
            with open(f, "rb") as fh:
                raw = strip_mbox_line(fh.read())
            mid = message_id(raw)
            if not mid or mid in seen or b"\n\n" not in raw.replace(b"\r\n", b"\n") or body_key(raw) in bodies:
                continue
            seen.add(mid)
            bodies.add(body_key(raw))
            out = os.path.join(args.out, phase, cls)
            os.makedirs(out, exist_ok=True)
            with open(os.path.join(out, "%03d.eml" % got[phase]), "wb") as fh:
                fh.write(raw)
            got[phase] += 1
        counts[cls] = got
    print(json.dumps(counts))


def cmd_send(args):
    """One SMTP session per message, so that a 554 on one message does not affect the next."""
    for path in args.files:
        with open(path, "rb") as fh:
            raw = fh.read()
        result = {"file": path, "msgid": message_id(raw)}
        try:
            with smtplib.SMTP("127.0.0.1", args.port, timeout=60) as s:
                s.ehlo(args.helo)
                if args.xclient:
                    # Postfix's XCLIENT (smtpd_authorized_xclient_hosts): the session restarts as the named client
                    code, text = s.docmd("XCLIENT", args.xclient)
                    if code != 220:
                        raise smtplib.SMTPResponseException(code, text)
                    s.ehlo(args.helo)
                if args.auth:
                    user, _, password = args.auth.partition(":")
                    s.login(user, password)
                s.sendmail(args.sender, [args.rcpt], raw)
                result.update(code=250, text="queued")
        except smtplib.SMTPDataError as e:
            result.update(code=e.smtp_code, text=e.smtp_error.decode("utf-8", "replace"))
        except smtplib.SMTPResponseException as e:
            result.update(code=e.smtp_code, text=e.smtp_error.decode("utf-8", "replace"))
        except (OSError, smtplib.SMTPException) as e:
            result.update(code=0, text=str(e))
        print(json.dumps(result), flush=True)


def maildir_folders(maildir):
    yield "INBOX", maildir
    for entry in sorted(os.listdir(maildir)) if os.path.isdir(maildir) else []:
        if entry.startswith(".") and entry not in (".", "..") and os.path.isdir(os.path.join(maildir, entry)):
            yield entry[1:], os.path.join(maildir, entry)


def index_maildir(maildir):
    """Message-ID -> (folder, header object, file) for every message in the Maildir++ tree."""
    found = {}
    for folder, path in maildir_folders(maildir):
        for sub in ("new", "cur"):
            for f in glob.glob(os.path.join(path, sub, "*")):
                try:
                    with open(f, "rb") as fh:
                        headers = HEADER_PARSER.parse(fh)
                except OSError:
                    continue  # moved while we looked
                mid = message_id_of(headers)
                if mid:
                    found[mid] = (folder, headers, f)
    return found


def unfold(value):
    return re.sub(r"\s*\r?\n\s+", " ", str(value)) if value is not None else None


def cmd_delivered(args):
    wanted = list(args.msgids)
    deadline = time.time() + args.timeout
    while True:
        index = index_maildir(args.maildir)
        if all(m in index for m in wanted) or time.time() > deadline:
            break
        time.sleep(0.3)
    for m in wanted:
        folder, h, path = index.get(m, (None, None, None))
        found = {
            "msgid": m, "folder": folder, "file": path,
            "x_spam": unfold(h.get("X-Spam")) if h else None,
            "x_spamd_result": unfold(h.get("X-Spamd-Result")) if h else None,
            "x_rspamd_action": unfold(h.get("X-Rspamd-Action")) if h else None,
        }
        if args.header:
            # every occurrence, in the message's order (Authentication-Results, DKIM-Signature, ...)
            found["headers"] = {n: [unfold(v) for v in h.get_all(n, [])] if h else [] for n in args.header}
        print(json.dumps(found))


def imap_login(args):
    m = imaplib.IMAP4("127.0.0.1", args.port)
    m.login(args.user, args.password)
    return m


def uids_in(m, folder):
    typ, _ = m.select(folder)
    if typ != "OK":
        raise SystemExit("cannot select " + folder)
    typ, data = m.uid("SEARCH", None, "ALL")
    return [int(x) for x in data[0].split()] if data and data[0] else []


def move(m, folder, uids, target, chunk=50):
    m.select(folder)
    for i in range(0, len(uids), chunk):
        part = ",".join(str(u) for u in uids[i:i + chunk])
        typ, data = m.uid("MOVE", part, target)
        if typ != "OK":
            raise SystemExit("UID MOVE failed: %s %s" % (typ, data))


def cmd_learn_moves(args):
    """spam: APPEND to INBOX (no learning there), then UID MOVE INBOX -> Junk, as a user marking spam.
    ham: the messages are put into Junk's Maildir directly (as if the filter had misfiled them: an IMAP APPEND into
    Junk would itself count as "into Junk"), then UID MOVE Junk -> INBOX, as a user rescuing them."""
    files = sorted(glob.glob(os.path.join(args.dir, "*.eml")))
    m = imap_login(args)
    if args.learn_class == "spam":
        before = set(uids_in(m, "INBOX"))
        for f in files:
            with open(f, "rb") as fh:
                typ, data = m.append("INBOX", None, None, fh.read())
                if typ != "OK":
                    raise SystemExit("APPEND failed: %s" % data)
        new = sorted(set(uids_in(m, "INBOX")) - before)
        move(m, "INBOX", new, "Junk")
    else:
        before = set(uids_in(m, "Junk"))
        filed_before = watcher_filed(args.rescue_when_seen, args.user) if args.rescue_when_seen else 0
        junk_new = os.path.join(args.maildir, ".Junk", "new")
        os.makedirs(junk_new, exist_ok=True)
        for i, f in enumerate(files):
            name = "%d.e2e%05d.%d.localhost" % (int(time.time()), i, os.getpid())
            tmp = os.path.join(args.maildir, ".Junk", "tmp", name)
            os.makedirs(os.path.dirname(tmp), exist_ok=True)
            with open(f, "rb") as src, open(tmp, "wb") as dst:
                if args.filed_by_filter:
                    # as the milter marks what sieve_before files into Junk; the IMAP watcher tells such a
                    # delivery from a user's move by these two headers
                    dst.write(b"X-Spam: Yes\nX-Spamd-Result: default: False [6.50 / 15.00];\n")
                dst.write(src.read().replace(b"\r\n", b"\n"))
            os.chown(tmp, args.uid, args.gid)
            os.rename(tmp, os.path.join(junk_new, name))
        m.noop()
        new = sorted(set(uids_in(m, "Junk")) - before)
        # a user opens Junk and rescues mail some time after it was filed; an IMAP watcher that never saw a message
        # in Junk (filed and moved out between two of its looks) cannot tell a rescue from any other new mail, so
        # with --rescue-when-seen the moves wait until the watcher has recorded every message filed here
        if args.rescue_when_seen:
            wait_filed(args.rescue_when_seen, args.user, filed_before + len(new), args.seen_timeout)
        move(m, "Junk", new, "INBOX")
    m.logout()
    print(json.dumps({"class": args.learn_class, "moved": len(new)}))


def watcher_filed(url, account):
    """How many messages filed into Junk by the filter the daemon's IMAP watcher has recorded for an account."""
    with urllib.request.urlopen(url.rstrip("/") + "/stat", timeout=10) as r:
        stat = json.load(r)
    for a in stat.get("imap_watcher", {}).get("accounts", []):
        if a.get("account") == account:
            return a.get("filed_by_filter", 0)
    return 0


def wait_filed(url, account, want, timeout):
    deadline = time.monotonic() + timeout
    while True:
        seen = watcher_filed(url, account)
        if seen >= want:
            return
        if time.monotonic() > deadline:
            print("the watcher recorded %d of %d filed messages within %ds; moving anyway" % (seen, want, timeout),
                  file=sys.stderr)
            return
        time.sleep(0.2)


def cmd_stat(args):
    with urllib.request.urlopen(args.url.rstrip("/") + "/stat", timeout=10) as r:
        stat = json.load(r)
    spam = ham = None
    for s in stat.get("statfiles", []):
        if "label" in s:
            continue
        if s.get("symbol") == "BAYES_SPAM":
            spam = s.get("revision")
        elif s.get("symbol") == "BAYES_HAM":
            ham = s.get("revision")
    print(json.dumps({"spam": spam, "ham": ham, "learned": stat.get("learned"), "scanned": stat.get("scanned"),
                      "queued": stat.get("learns_queued", 0)}))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("pick")
    s.add_argument("--corpus", required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--train", type=int, default=250)
    s.add_argument("--fresh", type=int, default=10)
    s.set_defaults(fn=cmd_pick)
    s = sub.add_parser("send")
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--rcpt", required=True)
    s.add_argument("--sender", default="sender@example.org")
    s.add_argument("--helo", default="client.example.org")
    s.add_argument("--xclient", metavar="ATTRS", help='e.g. "ADDR=203.0.113.7 NAME=mail.sender.test HELO=..."')
    s.add_argument("--auth", metavar="USER:PASSWORD", help="log in (SASL) before MAIL FROM")
    s.add_argument("files", nargs="+")
    s.set_defaults(fn=cmd_send)
    s = sub.add_parser("delivered")
    s.add_argument("--maildir", required=True)
    s.add_argument("--timeout", type=float, default=30)
    s.add_argument("--header", action="append", metavar="NAME", help="also print every value of this header")
    s.add_argument("msgids", nargs="+")
    s.set_defaults(fn=cmd_delivered)
    s = sub.add_parser("learn-moves")
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--user", required=True)
    s.add_argument("--password", required=True)
    s.add_argument("--maildir", required=True)
    s.add_argument("--uid", type=int, default=8)
    s.add_argument("--gid", type=int, default=8)
    s.add_argument("--class", dest="learn_class", choices=("spam", "ham"), required=True)
    s.add_argument("--filed-by-filter", action="store_true",
                   help="ham placed in Junk carries the filter's X-Spam/X-Spamd-Result headers")
    s.add_argument("--rescue-when-seen", metavar="CONTROLLER_URL",
                   help="ham: move out of Junk once this daemon's IMAP watcher has recorded every filed message")
    s.add_argument("--seen-timeout", type=float, default=180)
    s.add_argument("dir")
    s.set_defaults(fn=cmd_learn_moves)
    s = sub.add_parser("stat")
    s.add_argument("--url", required=True)
    s.set_defaults(fn=cmd_stat)
    args = p.parse_args()
    args.fn(args)


if __name__ == "__main__":
    sys.exit(main())

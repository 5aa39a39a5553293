#!/usr/bin/env python3
"""Mixed load for scripts/soak.sh (Python standard library only; loopback only; every loop bounded in time).

  load.py run --seconds S --corpus DIR --smtp PORT --scan-urls URL,URL --learn-urls URL,URL --imap PORT
              --spool DIR --out DIR
Four threads until S seconds have passed, each at a fixed modest rate:
  smtp   corpus messages made unique (a fresh Message-ID and words only they carry) to alice/bob@example.test
  scan   POST /checkv2 to the scan workers (daemon a and b in turn)
  learn  POST /learnspam|/learnham of unique messages to the controllers (a and b in turn); acknowledged = 200
  spool  unique learns written into the learn spool as mailsift-learn does (tmp/ then rename into new/)
  imap   alice's INBOX messages moved to Junk (IMAPSieve -> mailsift-learn -> daemon a or its spool)
Writes OUT/results.json (counters, the Message-IDs sent, and which learns were acknowledged or had no answer) when done.
  load.py delivered --out DIR --maildirs DIR,DIR   how many sent Message-IDs are in the Maildirs
  load.py verify --out DIR --url URL --junk DIR    asks the controller at URL, message by message, whether every
      acknowledged learn is in the store: the same learn again must answer 208 (already learned); a 200 means it had
      been lost (it is learned now). Learns without an answer (a daemon killed mid-request) are asked too: 208 means
      applied though unacknowledged. IMAP moves are checked with the moved copies in DIR (alice's Junk Maildir).
"""
import argparse
import glob
import imaplib
import json
import os
import random
import re
import smtplib
import sys
import threading
import time
import urllib.error
import urllib.request

LOCK = threading.Lock()
C = {}


def count(name, n=1):
    with LOCK:
        C[name] = C.get(name, 0) + n


def corpus(dir_):
    files = []
    for cls in ("spam", "ham"):
        for f in sorted(glob.glob(os.path.join(dir_, cls, "*.eml"))):
            if 2_000 < os.path.getsize(f) < 60_000:
                files.append((cls, f))
    random.Random(14).shuffle(files)
    return files


def unique(raw, tag):
    """The message with a new Message-ID and words no other message has (a new content digest).

    The words go into the Subject, which the learned-cache digest covers: appended to the body they would land in a
    multipart message's epilogue (after the last boundary, never tokenized), and two uses of one corpus file would
    share a digest: the second learn "already learned" or "relearned", acknowledged twice but counted once."""
    if raw.startswith(b"From "):
        raw = raw[raw.find(b"\n") + 1:]
    raw = raw.replace(b"\r\n", b"\n")
    head, _, body = raw.partition(b"\n\n")
    head = re.sub(rb"(?im)^message-id:.*(\n[ \t].*)*\n?", b"", head + b"\n").rstrip(b"\n")
    mid = "soak-%s@soak.example" % tag
    words = " ".join("soak%s%s" % (tag.replace("-", ""), w) for w in ("alpha", "bravo", "charlie", "delta")).encode()
    if re.search(rb"(?im)^subject:", head):
        head = re.sub(rb"(?im)^subject:[ \t]*", b"Subject: " + words + b" ", head, count=1)
    else:
        head += b"\nSubject: " + words
    return mid, head + ("\nMessage-ID: <%s>" % mid).encode() + b"\n\n" + body + b"\n" + words + b"\n"


def rebuild(f, tag):
    with open(f, "rb") as fh:
        return unique(fh.read(), tag)


class Load:
    def __init__(self, a):
        self.a = a
        self.end = time.time() + a.seconds
        self.files = corpus(a.corpus)
        self.sent = []  # Message-IDs Postfix accepted
        self.learns = {"acknowledged": [], "unanswered": []}  # [class, corpus file, tag]: enough to rebuild the message
        self.moved = []  # Message-IDs of the IMAP moves acknowledged
        self.n = 0

    def next_message(self, kind):
        with LOCK:
            self.n += 1
            n = self.n
        cls, f = self.files[n % len(self.files)]
        tag = "%s-%d-%d" % (kind, os.getpid(), n)
        mid, raw = rebuild(f, tag)
        return cls, mid, raw, [cls, f, tag]

    def record(self, outcome, ident):
        with LOCK:
            self.learns[outcome].append(ident)

    def paced(self, per_second, step):
        interval = 1.0 / per_second
        nxt = time.time()
        while time.time() < self.end:
            try:
                step()
            except Exception as e:  # a fault window: count and go on
                count("exception_" + type(e).__name__)
            nxt += interval
            time.sleep(max(0.0, nxt - time.time()))

    def smtp(self):
        def step():
            cls, mid, raw, _ = self.next_message("smtp")
            rcpt = "alice@example.test" if self.n % 2 else "bob@example.test"
            count("smtp_attempted")
            try:
                with smtplib.SMTP("127.0.0.1", self.a.smtp, timeout=30) as s:
                    s.sendmail("sender@client.example.org", [rcpt], raw)
                count("smtp_accepted")
                with LOCK:
                    self.sent.append(mid)
            except smtplib.SMTPResponseException as e:
                count("smtp_tempfailed" if 400 <= e.smtp_code < 500 else "smtp_rejected")
            except (OSError, smtplib.SMTPException):
                count("smtp_unreachable")
        self.paced(self.a.smtp_rate, step)

    def post(self, url, raw, timeout=15):
        req = urllib.request.Request(url, data=raw, method="POST")
        if os.environ.get("MAILSIFT_PASSWORD") and "/learn" in url:
            req.add_header("Password", os.environ["MAILSIFT_PASSWORD"])  # learning needs the enable password
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def scan(self):
        urls = self.a.scan_urls.split(",")
        def step():
            _, _, raw, _ = self.next_message("scan")
            url = urls[self.n % len(urls)]
            count("scan_sent")
            try:
                status, body = self.post(url + "/checkv2", raw)
                count("scan_ok" if status == 200 and b'"action"' in body else "scan_failed")
            except OSError:
                count("scan_failed")
        self.paced(self.a.scan_rate, step)

    def learn(self):
        urls = self.a.learn_urls.split(",")
        def step():
            cls, _, raw, ident = self.next_message("learn")
            url = urls[self.n % len(urls)]
            count("learn_http_sent")
            try:
                status, body = self.post("%s/learn%s" % (url, cls), raw)
            except OSError:
                count("learn_http_failed")
                self.record("unanswered", ident)
                return
            if status == 200:
                count("learn_http_acknowledged")
                self.record("acknowledged", ident)
            else:
                count("learn_http_status_%d" % status)
                self.record("unanswered", ident)
        self.paced(self.a.learn_rate, step)

    def spool(self):
        def step():
            cls, _, raw, ident = self.next_message("spool")
            name = "%s.%d.%d.%d.-.eml" % (cls, int(time.time()), os.getpid(), self.n)
            tmp = os.path.join(self.a.spool, "tmp", name)
            try:
                with open(tmp, "wb") as fh:
                    fh.write(raw)
                os.rename(tmp, os.path.join(self.a.spool, "new", name))
                count("learn_spool_acknowledged")
                self.record("acknowledged", ident)
            except OSError:
                count("learn_spool_failed")
        self.paced(self.a.spool_rate, step)

    def imap(self):
        def step():
            try:
                m = imaplib.IMAP4("127.0.0.1", self.a.imap, timeout=15)
            except OSError:
                count("imap_unreachable")
                return
            try:
                m.login("alice", "alice-pw")
                m.select("INBOX")
                typ, data = m.uid("SEARCH", None, "HEADER", "Message-ID", "soak-smtp")
                uids = data[0].split() if typ == "OK" and data and data[0] else []
                for uid in uids[:3]:
                    typ, head = m.uid("FETCH", uid, "(BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
                    mid = re.search(rb"<(soak-[^>]+)>", b"".join(x[1] for x in head if isinstance(x, tuple))) if typ == "OK" else None
                    typ, _ = m.uid("MOVE", uid, "Junk")
                    count("imap_moves_acknowledged" if typ == "OK" else "imap_moves_failed")
                    if typ == "OK":
                        with LOCK:
                            self.moved.append(mid.group(1).decode() if mid else None)
                m.logout()
            except (OSError, imaplib.IMAP4.error):
                count("imap_failed")
        self.paced(self.a.imap_rate, step)

    def run(self):
        threads = [threading.Thread(target=t, daemon=True) for t in (self.smtp, self.scan, self.learn, self.spool, self.imap)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(self.a.seconds + 120)
        with open(os.path.join(self.a.out, "results.json"), "w") as fh:
            json.dump({"counters": C, "sent": self.sent, "learns": self.learns, "moved": self.moved}, fh)
        print(json.dumps(C, sort_keys=True))


def delivered(a):
    with open(os.path.join(a.out, "results.json")) as fh:
        sent = set(json.load(fh)["sent"])
    found = set()
    files = []
    for md in a.maildirs.split(","):
        files.extend(maildir_files(md))  # os.walk: glob would skip the Maildir++ folders (".Junk")
    for f in files:
        if True:
            try:
                with open(f, "rb") as fh:
                    head = fh.read(65536).split(b"\n\n", 1)[0]
            except OSError:
                continue
            m = re.search(rb"(?im)^message-id:\s*<(soak-[^>]+)>", head)
            if m:
                found.add(m.group(1).decode())
    print(json.dumps({"sent": len(sent), "delivered": len(sent & found), "missing": sorted(sent - found)[:20]}))


def maildir_files(md):
    for root, _, names in os.walk(md):
        if os.path.basename(root) in ("new", "cur"):
            yield from (os.path.join(root, n) for n in names)


def verify(a):
    with open(os.path.join(a.out, "results.json")) as fh:
        r = json.load(fh)
    out = {"acknowledged": 0, "missing": [], "unanswered_applied": 0, "unanswered_not_applied": 0, "unverifiable": []}

    def ask(cls, raw, user=None):
        req = urllib.request.Request("%s/learn%s" % (a.url, cls), data=raw, method="POST")
        if os.environ.get("MAILSIFT_PASSWORD"):
            req.add_header("Password", os.environ["MAILSIFT_PASSWORD"])
        if user:
            req.add_header("Deliver-To", user)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status
        except urllib.error.HTTPError as e:
            return e.code

    for cls, f, tag in r["learns"]["acknowledged"]:
        out["acknowledged"] += 1
        status = ask(cls, rebuild(f, tag)[1])
        if status == 200:
            out["missing"].append(tag)
        elif status != 208:
            out["unverifiable"].append("%s: %d" % (tag, status))
    for cls, f, tag in r["learns"]["unanswered"]:
        status = ask(cls, rebuild(f, tag)[1])
        key = {208: "unanswered_applied", 200: "unanswered_not_applied"}.get(status)
        if key:
            out[key] += 1
        else:
            out["unverifiable"].append("%s: %d" % (tag, status))
    copies = {}
    for f in maildir_files(a.junk):
        with open(f, "rb") as fh:
            raw = fh.read()
        m = re.search(rb"(?im)^message-id:\s*<(soak-[^>]+)>", raw.split(b"\n\n", 1)[0])
        if m:
            copies[m.group(1).decode()] = raw
    for mid in r["moved"]:
        out["acknowledged"] += 1
        if mid not in copies:
            out["unverifiable"].append("%s: not in Junk" % mid)
            continue
        status = ask("spam", copies[mid], "alice")
        if status == 200:
            out["missing"].append(mid)
        elif status != 208:
            out["unverifiable"].append("%s: %d" % (mid, status))
    print(json.dumps(out))


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    for name in ("corpus", "scan-urls", "learn-urls", "spool", "out"):
        r.add_argument("--" + name, required=True)
    for name in ("seconds", "smtp", "imap"):
        r.add_argument("--" + name, type=int, required=True)
    r.add_argument("--smtp-rate", type=float, default=4)
    r.add_argument("--scan-rate", type=float, default=4)
    r.add_argument("--learn-rate", type=float, default=2)
    r.add_argument("--spool-rate", type=float, default=1)
    r.add_argument("--imap-rate", type=float, default=0.5)
    d = sub.add_parser("delivered")
    d.add_argument("--out", required=True)
    d.add_argument("--maildirs", required=True)
    v = sub.add_parser("verify")
    for name in ("out", "url", "junk"):
        v.add_argument("--" + name, required=True)
    a = p.parse_args()
    if a.cmd == "run":
        Load(a).run()
    elif a.cmd == "verify":
        verify(a)
    else:
        delivered(a)


if __name__ == "__main__":
    sys.exit(main())

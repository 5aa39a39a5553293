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
Writes OUT/results.json (counters and the Message-IDs sent) when done.
  load.py delivered --out DIR --maildirs DIR,DIR   how many sent Message-IDs are in the Maildirs
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
    """The message with a new Message-ID and a line of words no other message has (a new content digest)."""
    if raw.startswith(b"From "):
        raw = raw[raw.find(b"\n") + 1:]
    raw = raw.replace(b"\r\n", b"\n")
    head, _, body = raw.partition(b"\n\n")
    head = re.sub(rb"(?im)^message-id:.*(\n[ \t].*)*\n?", b"", head + b"\n").rstrip(b"\n")
    mid = "soak-%s@soak.example" % tag
    words = " ".join("soak%s%s" % (tag.replace("-", ""), w) for w in ("alpha", "bravo", "charlie", "delta"))
    return mid, head + ("\nMessage-ID: <%s>" % mid).encode() + b"\n\n" + body + ("\n%s\n" % words).encode()


class Load:
    def __init__(self, a):
        self.a = a
        self.end = time.time() + a.seconds
        self.files = corpus(a.corpus)
        self.sent = []  # Message-IDs Postfix accepted
        self.n = 0

    def next_message(self, kind):
        with LOCK:
            self.n += 1
            n = self.n
        cls, f = self.files[n % len(self.files)]
        with open(f, "rb") as fh:
            raw = fh.read()
        mid, raw = unique(raw, "%s-%d-%d" % (kind, os.getpid(), n))
        return cls, mid, raw

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
            cls, mid, raw = self.next_message("smtp")
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
            _, _, raw = self.next_message("scan")
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
            cls, _, raw = self.next_message("learn")
            url = urls[self.n % len(urls)]
            count("learn_http_sent")
            try:
                status, body = self.post("%s/learn%s" % (url, cls), raw)
            except OSError:
                count("learn_http_failed")
                return
            if status == 200:
                count("learn_http_acknowledged")
            else:
                count("learn_http_status_%d" % status)
        self.paced(self.a.learn_rate, step)

    def spool(self):
        def step():
            cls, _, raw = self.next_message("spool")
            name = "%s.%d.%d.%d.-.eml" % (cls, int(time.time()), os.getpid(), self.n)
            tmp = os.path.join(self.a.spool, "tmp", name)
            try:
                with open(tmp, "wb") as fh:
                    fh.write(raw)
                os.rename(tmp, os.path.join(self.a.spool, "new", name))
                count("learn_spool_acknowledged")
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
                    typ, _ = m.uid("MOVE", uid, "Junk")
                    count("imap_moves_acknowledged" if typ == "OK" else "imap_moves_failed")
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
            json.dump({"counters": C, "sent": self.sent}, fh)
        print(json.dumps(C, sort_keys=True))


def delivered(a):
    with open(os.path.join(a.out, "results.json")) as fh:
        sent = set(json.load(fh)["sent"])
    found = set()
    files = []
    for md in a.maildirs.split(","):
        for root, _, names in os.walk(md):  # glob would skip the Maildir++ folders (".Junk")
            if os.path.basename(root) in ("new", "cur"):
                files.extend(os.path.join(root, n) for n in names)
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
    a = p.parse_args()
    if a.cmd == "run":
        Load(a).run()
    else:
        delivered(a)


if __name__ == "__main__":
    sys.exit(main())

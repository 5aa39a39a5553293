-- miltertest script: an independent milter client (OpenDKIM's test facility) talking to mailsift's milter.
-- usage: miltertest -D port=11332 -D kind=HAM|GTUBE|ADDHEADER|SPOOFED -s mailsift-milter.lua
local conn = mt.connect("inet:" .. port .. "@127.0.0.1", 3, 0.5)
if conn == nil then error("mt.connect() failed") end
mt.set_timeout(10)
if mt.negotiate(conn, nil, nil, nil) ~= nil then error("negotiate failed") end
mt.macro(conn, SMFIC_CONNECT, "j", "mx.example.test")
if mt.conninfo(conn, "mail.example.test", "192.0.2.10") ~= nil then error("conninfo failed") end
mt.macro(conn, SMFIC_HELO, "{tls_version}", "TLSv1.3")
if mt.helo(conn, "mail.example.test") ~= nil then error("helo failed") end
mt.macro(conn, SMFIC_MAIL, "i", "MTQID" .. kind, "{mail_addr}", "bob@example.test")
if mt.mailfrom(conn, "<bob@example.test>") ~= nil then error("mailfrom failed") end
if mt.rcptto(conn, "<alice@example.test>") ~= nil then error("rcptto failed") end
mt.header(conn, "From", "Bob <bob@example.test>")
mt.header(conn, "To", "Alice <alice@example.test>")
mt.header(conn, "Subject", "miltertest " .. kind)
if kind == "SPOOFED" then mt.header(conn, "X-Spam", "Yes") end
mt.eoh(conn)
local text = "Hello Alice,\r\nthis is a test message sent by miltertest.\r\n"
if kind == "GTUBE" then text = text .. "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X\r\n" end
if kind == "ADDHEADER" then text = text .. "MARKER-ADD-HEADER\r\n" end
mt.bodystring(conn, text)
if mt.eom(conn) ~= nil then error("eom failed") end
local r = mt.getreply(conn)
local names = { [SMFIR_ACCEPT]="ACCEPT", [SMFIR_CONTINUE]="CONTINUE", [SMFIR_REJECT]="REJECT",
                [SMFIR_TEMPFAIL]="TEMPFAIL", [SMFIR_DISCARD]="DISCARD", [SMFIR_REPLYCODE]="REPLYCODE" }
mt.echo("reply " .. (names[r] or tostring(r)))
local result = mt.getheader(conn, "X-Spamd-Result", 0)
if result ~= nil then mt.echo("added X-Spamd-Result: " .. string.gsub(result, "[\r\n]+%s*", " ")) end
-- NOTE: mt.eom_check(conn, MT_SMTPREPLY, ...) aborts miltertest 1.6.0 (Debian 12); mt.getreply is used instead
if mt.eom_check(conn, MT_HDRCHANGE, "X-Spam", "Yes") then mt.echo("changed X-Spam: Yes") end
if mt.eom_check(conn, MT_HDRADD, "X-Spam", "Yes") then mt.echo("added X-Spam: Yes") end
if mt.eom_check(conn, MT_HDRCHANGE, "X-Spam", "") then mt.echo("deleted X-Spam") end
if kind == "GTUBE" then
  assert(r == SMFIR_REPLYCODE, "GTUBE not rejected with a reply code")
else
  assert(r == SMFIR_ACCEPT, "not accepted")
  assert(result ~= nil, "no X-Spamd-Result added")
end
mt.disconnect(conn)
mt.echo("OK")

# mailsift: Dovecot IMAPSieve script run when a message is moved, copied or appended INTO the Junk folder.
# Pipes the message to the mailsift-learn helper (sieve_pipe_bin_dir) as spam for the IMAP user.
require ["vnd.dovecot.pipe", "copy", "imapsieve", "environment", "variables"];

if environment :matches "imap.mailbox" "*" {
  set "mailbox" "${1}";
}
# Never learn from Trash (a client may be configured to use Junk as its trash, or copy Junk -> Trash).
if string :matches "${mailbox}" ["Trash", "Trash/*", "Deleted Items", "Deleted Messages"] {
  stop;
}
if environment :matches "imap.user" "*" {
  set "username" "${1}";
}
pipe :copy "mailsift-learn" ["spam", "${username}"];

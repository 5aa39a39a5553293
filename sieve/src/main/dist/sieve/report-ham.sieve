# mailsift: Dovecot IMAPSieve script run when a message is moved or copied OUT OF the Junk folder.
# Any destination except Trash is a "not spam" decision by the user: learn it as ham for the IMAP user.
# Junk -> Trash means "delete this spam", which must not be learned as ham.
require ["vnd.dovecot.pipe", "copy", "imapsieve", "environment", "variables"];

if environment :matches "imap.mailbox" "*" {
  set "mailbox" "${1}";
}
if string :matches "${mailbox}" ["Trash", "Trash/*", "Deleted Items", "Deleted Messages", "Junk"] {
  stop;
}
# Only a user's move or copy counts (not flag changes or appends).
if environment :matches "imap.cause" "*" {
  set "cause" "${1}";
}
if not string :is "${cause}" "COPY" {
  stop;
}
if environment :matches "imap.user" "*" {
  set "username" "${1}";
}
pipe :copy "mailsift-learn" ["ham", "${username}"];

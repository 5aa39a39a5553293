# mailsift: file spam into the \Junk special-use folder (Dovecot sieve_before / sieve_after, or mailsift deliver).
# The verdict header X-Spam: Yes is added by mailsift's milter (or by mailsift deliver's own scan); the milter
# strips any X-Spam header a sender wrote, so the header can be trusted at delivery time.
# The folder is created when missing; "Junk" is used when no mailbox carries the \Junk special-use flag.
require ["fileinto", "mailbox", "special-use"];

if header :is "X-Spam" "Yes" {
  fileinto :specialuse "\\Junk" :create "Junk";
  stop;
}

# mailsift: like spam-to-junk.sieve, and marks the filed spam as read (\Seen) so it does not raise the unread count.
require ["fileinto", "mailbox", "special-use", "imap4flags"];

if header :is "X-Spam" "Yes" {
  fileinto :specialuse "\\Junk" :create :flags "\\Seen" "Junk";
  stop;
}

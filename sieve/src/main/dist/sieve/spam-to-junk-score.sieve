# mailsift: file mail into \Junk by the score in X-Spamd-Result instead of the X-Spam verdict, so a user (or a
# domain) can be stricter or more lenient than the server-wide "add header" threshold.
# Edit the threshold below: whole points, compared with i;ascii-numeric (7.30 counts as 7).
require ["fileinto", "mailbox", "special-use", "variables", "relational", "comparator-i;ascii-numeric"];

set "threshold" "6";

# X-Spamd-Result: default: False [7.30 / 15.00]; SYMBOL(score)[options]; ...
if header :matches "X-Spamd-Result" "default: * [* / *" {
  set "score" "${2}";
  # A negative score is ham; i;ascii-numeric would read "-2.80" as infinity, so test the sign first.
  if not string :matches "${score}" "-*" {
    if string :value "ge" :comparator "i;ascii-numeric" "${score}" "${threshold}" {
      fileinto :specialuse "\\Junk" :create "Junk";
      stop;
    }
  }
}

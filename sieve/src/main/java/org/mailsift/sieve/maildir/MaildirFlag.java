package org.mailsift.sieve.maildir;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The IMAP system flags that Maildir stores as info letters after {@code :2,} in a file name under cur/.
 * Letters must appear in ASCII order, which the enum order follows.
 */
public enum MaildirFlag {
    DRAFT('D', "\\Draft"),
    FLAGGED('F', "\\Flagged"),
    PASSED('P', null),
    REPLIED('R', "\\Answered"),
    SEEN('S', "\\Seen"),
    TRASHED('T', "\\Deleted");

    private final char letter;
    private final String imapName;

    MaildirFlag(char letter, String imapName) {
        this.letter = letter;
        this.imapName = imapName;
    }

    public char letter() {
        return letter;
    }

    /** The flag for an IMAP system flag name such as {@code \Seen} (case-insensitive), if Maildir can store it. */
    public static Optional<MaildirFlag> fromImap(String name) {
        for (MaildirFlag f : values()) {
            if (f.imapName != null && f.imapName.equalsIgnoreCase(name.trim())) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** The info suffix ":2,FLAGS" for these flags (letters sorted), or "" for none (the message goes to new/). */
    public static String infoSuffix(Set<MaildirFlag> flags) {
        if (flags.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(":2,");
        for (MaildirFlag f : EnumSet.copyOf(flags)) {
            sb.append(f.letter);
        }
        return sb.toString();
    }

    /** Maps IMAP flag names to Maildir flags; names Maildir cannot store (keywords) are returned in {@code ignored}. */
    public static Set<MaildirFlag> fromImapNames(Collection<String> names, Collection<String> ignored) {
        Set<MaildirFlag> out = EnumSet.noneOf(MaildirFlag.class);
        for (String n : names) {
            Optional<MaildirFlag> f = fromImap(n);
            if (f.isPresent()) {
                out.add(f.get());
            } else if (ignored != null) {
                ignored.add(n);
            }
        }
        return out;
    }
}

package org.mailsift.sieve.maildir;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Maps IMAP mailbox names (hierarchy separator "/", as Dovecot's default namespace) to Maildir++ directory names:
 * "INBOX" is the root, "Junk" is ".Junk", "Archive/2024" is ".Archive.2024"; non-ASCII names use IMAP's modified
 * UTF-7 (RFC 3501 5.1.3) as Dovecot 2.3 stores them on disk.
 */
public final class MailboxNames {
    private MailboxNames() {
    }

    /**
     * NAME_MAX of Linux file systems (ext4, xfs, btrfs, tmpfs): a Maildir++ folder is one directory, so its whole
     * encoded name must fit in one path component, with room for Dovecot's own suffixes it never adds here.
     */
    static final int MAX_DIRECTORY_NAME = 255;

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...(" + s.length() + " characters)";
    }

    public static boolean isInbox(String mailbox) {
        return mailbox.equalsIgnoreCase("INBOX");
    }

    /** The directory name under the Maildir root, e.g. ".Junk"; throws for names that cannot be stored safely. */
    public static String directoryName(String mailbox) {
        if (mailbox.isEmpty() || mailbox.startsWith("/") || mailbox.endsWith("/") || mailbox.contains("//")) {
            throw new IllegalArgumentException("invalid mailbox name \"" + mailbox + "\"");
        }
        StringBuilder dir = new StringBuilder();
        for (String part : mailbox.split("/", -1)) {
            if (part.equals(".") || part.equals("..") || part.contains(".") || part.indexOf('\0') >= 0 || part.contains("~")) {
                throw new IllegalArgumentException("invalid mailbox name \"" + mailbox + "\": \"" + part + "\" cannot be a Maildir++ folder");
            }
            dir.append('.').append(encodeModifiedUtf7(part));
        }
        if (dir.toString().getBytes(StandardCharsets.UTF_8).length > MAX_DIRECTORY_NAME) {
            throw new IllegalArgumentException("invalid mailbox name \"" + abbreviate(mailbox) + "\": longer than a file name may be");
        }
        return dir.toString();
    }

    /** IMAP modified UTF-7: printable ASCII stays, "&" becomes "&-", other runs become "&" + modified base64 + "-". */
    static String encodeModifiedUtf7(String s) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c >= 0x20 && c <= 0x7e) {
                out.append(c == '&' ? "&-" : String.valueOf(c));
                i++;
                continue;
            }
            int start = i;
            while (i < s.length() && (s.charAt(i) < 0x20 || s.charAt(i) > 0x7e)) {
                i++;
            }
            byte[] utf16 = s.substring(start, i).getBytes(StandardCharsets.UTF_16BE);
            String b64 = Base64.getEncoder().withoutPadding().encodeToString(utf16).replace('/', ',');
            out.append('&').append(b64).append('-');
        }
        return out.toString();
    }
}

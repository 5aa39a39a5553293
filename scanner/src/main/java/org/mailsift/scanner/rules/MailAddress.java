package org.mailsift.scanner.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

/**
 * One address of an address header, as Rspamd's parsed address: display name (decoded, may be empty), address and
 * domain. Parsing is jakarta.mail's lenient header parser with a regular-expression fallback for garbage.
 */
public record MailAddress(String name, String addr, String domain, String raw) {
    private static final Pattern FALLBACK = Pattern.compile("[^\\s<>\"(),;:@]+@[^\\s<>\"(),;:@]+");

    /**
     * The addresses of an address header's raw value, unmodifiable. A scan's rules read the same few headers (From,
     * Reply-To, To, Cc) many times over (From rules, Message-ID and Reply-To rules, multimap, selectors, settings):
     * each thread remembers its last few parses, so a header is parsed once per message however many rules read it.
     * The parse depends on the text alone, so a remembered one is the same as a new one.
     */
    public static List<MailAddress> parseList(String rawHeader) {
        if (rawHeader == null || rawHeader.isBlank()) {
            return List.of();
        }
        return RECENT.get().parse(rawHeader);
    }

    private static final ThreadLocal<Recent> RECENT = ThreadLocal.withInitial(Recent::new);

    /** A thread's last {@link #SIZE} parsed header values and their addresses, replaced in turn. */
    private static final class Recent {
        private static final int SIZE = 8;
        private final String[] values = new String[SIZE];
        private final List<?>[] parsed = new List<?>[SIZE];
        private int next;

        @SuppressWarnings("unchecked")
        List<MailAddress> parse(String rawHeader) {
            for (int i = 0; i < SIZE; i++) {
                String v = values[i];
                if (v != null && (v == rawHeader || v.hashCode() == rawHeader.hashCode() && v.equals(rawHeader))) {
                    return (List<MailAddress>) parsed[i];
                }
            }
            List<MailAddress> out = List.copyOf(parseNew(rawHeader));
            values[next] = rawHeader;
            parsed[next] = out;
            next = (next + 1) % SIZE;
            return out;
        }
    }

    private static List<MailAddress> parseNew(String rawHeader) {
        List<MailAddress> out = new ArrayList<>();
        String header = rawHeader.length() > 8192 ? rawHeader.substring(0, 8192) : rawHeader;
        try {
            for (InternetAddress a : InternetAddress.parseHeader(header, false)) {
                String addr = a.getAddress() == null ? "" : a.getAddress();
                if (addr.isEmpty() && a.getPersonal() == null) {
                    continue;
                }
                out.add(of(a.getPersonal(), addr, a.toString()));
            }
            return out;
        } catch (AddressException | RuntimeException e) {
            Matcher m = FALLBACK.matcher(header);
            while (m.find() && out.size() < 1000) {
                out.add(of(null, m.group(), m.group()));
            }
            return out;
        }
    }

    public static MailAddress of(String name, String addr, String raw) {
        String a = addr == null ? "" : addr.strip();
        int at = a.lastIndexOf('@');
        String domain = at >= 0 ? a.substring(at + 1).toLowerCase(Locale.ROOT) : "";
        return new MailAddress(name == null ? "" : name.strip(), a, domain, raw);
    }

    public boolean hasName() {
        return !name.isEmpty();
    }
}

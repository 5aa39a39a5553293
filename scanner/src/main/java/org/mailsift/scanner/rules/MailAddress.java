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

    public static List<MailAddress> parseList(String rawHeader) {
        List<MailAddress> out = new ArrayList<>();
        if (rawHeader == null || rawHeader.isBlank()) {
            return out;
        }
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

package org.mailsift.scanner.selectors;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Received header as Rspamd's received table: {@code from_hostname} (the HELO), {@code real_hostname} and
 * {@code real_ip} / {@code from_ip} (the relay's reverse name and address), {@code by_hostname}, {@code proto},
 * {@code for}, {@code timestamp} (epoch seconds). Fields the header does not have are absent.
 */
record ReceivedHeader(Map<String, Object> table) {
    static final List<String> FIELDS = List.of("from_hostname", "from_ip", "real_hostname", "real_ip", "by_hostname",
            "proto", "for", "timestamp", "raw");
    private static final Pattern FROM = Pattern.compile("(?i)^\\s*from\\s+([^\\s(;\\[]+)?\\s*(?:\\[([0-9a-fA-F:.]+)])?");
    private static final Pattern RELAY = Pattern.compile("\\(([^\\s()\\[]*)\\s*\\[(?:IPv6:)?([0-9a-fA-F:.]+)]");
    private static final Pattern BY = Pattern.compile("(?i)\\bby\\s+([^\\s;()]+)");
    private static final Pattern WITH = Pattern.compile("(?i)\\bwith\\s+([A-Za-z0-9]+)");
    private static final Pattern FOR = Pattern.compile("(?i)\\bfor\\s+<?([^\\s<>;]+@[^\\s<>;]+)>?");

    static ReceivedHeader parse(String value) {
        String v = value.length() > 4096 ? value.substring(0, 4096) : value;
        Map<String, Object> t = new LinkedHashMap<>();
        int by = indexOfWord(v, "by");
        String fromPart = by > 0 ? v.substring(0, by) : v;
        Matcher m = FROM.matcher(fromPart);
        if (m.find()) {
            put(t, "from_hostname", m.group(1));
            if (m.group(2) != null) {
                put(t, "from_ip", m.group(2));
                put(t, "real_ip", m.group(2));
            }
        }
        m = RELAY.matcher(fromPart);
        if (m.find()) {
            if (!m.group(1).isEmpty() && !m.group(1).equalsIgnoreCase("unknown")) {
                put(t, "real_hostname", m.group(1).toLowerCase(Locale.ROOT));
            }
            put(t, "real_ip", m.group(2));
            put(t, "from_ip", m.group(2));
        }
        m = BY.matcher(v);
        if (m.find()) {
            put(t, "by_hostname", m.group(1).toLowerCase(Locale.ROOT));
        }
        m = WITH.matcher(v);
        if (m.find()) {
            put(t, "proto", m.group(1).toLowerCase(Locale.ROOT));
        }
        m = FOR.matcher(v);
        if (m.find()) {
            put(t, "for", m.group(1));
        }
        int semi = v.lastIndexOf(';');
        if (semi >= 0) {
            String date = v.substring(semi + 1).replaceAll("\\s*\\([^)]*\\)\\s*$", "").strip().replaceAll("\\s+", " ");
            try {
                put(t, "timestamp", Long.toString(ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toEpochSecond()));
            } catch (DateTimeParseException e) {
                // no usable date: the field stays absent
            }
        }
        t.put("raw", value);
        return new ReceivedHeader(t);
    }

    private static int indexOfWord(String v, String word) {
        Matcher m = Pattern.compile("(?i)\\s" + word + "\\s").matcher(v);
        return m.find() ? m.start() : -1;
    }

    private static void put(Map<String, Object> t, String key, String value) {
        if (value != null && !value.isEmpty()) {
            t.put(key, value);
        }
    }
}

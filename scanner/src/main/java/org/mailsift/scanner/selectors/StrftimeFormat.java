package org.mailsift.scanner.selectors;

import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * The C strftime / Lua {@code os.date} formats the {@code time} extractor takes, in UTC (Rspamd's selectors pass a
 * GMT time, so a leading {@code !} changes nothing): %Y %y %m %d %e %H %M %S %j %a %A %b %B %p %s %z %Z %F %T %%.
 */
final class StrftimeFormat {
    private final String pattern;

    private StrftimeFormat(String pattern) {
        this.pattern = pattern;
    }

    static StrftimeFormat compile(String format) {
        String f = format.startsWith("!") ? format.substring(1) : format;
        for (int i = 0; i < f.length(); i++) {
            if (f.charAt(i) == '%') {
                if (i + 1 >= f.length() || "YymdeHMSjaAbBpszZFT%".indexOf(f.charAt(i + 1)) < 0) {
                    throw new IllegalArgumentException("time: unsupported format directive '"
                            + f.substring(i, Math.min(f.length(), i + 2)) + "' in '" + format + "'");
                }
                i++;
            }
        }
        return new StrftimeFormat(f);
    }

    String format(ZonedDateTime t) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '%') {
                sb.append(c);
                continue;
            }
            char d = pattern.charAt(++i);
            switch (d) {
                case 'Y' -> sb.append(t.getYear());
                case 'y' -> sb.append(two(t.getYear() % 100));
                case 'm' -> sb.append(two(t.getMonthValue()));
                case 'd' -> sb.append(two(t.getDayOfMonth()));
                case 'e' -> sb.append(t.getDayOfMonth() < 10 ? " " : "").append(t.getDayOfMonth());
                case 'H' -> sb.append(two(t.getHour()));
                case 'M' -> sb.append(two(t.getMinute()));
                case 'S' -> sb.append(two(t.getSecond()));
                case 'j' -> sb.append(String.format(Locale.ROOT, "%03d", t.getDayOfYear()));
                case 'a' -> sb.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ROOT));
                case 'A' -> sb.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ROOT));
                case 'b' -> sb.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ROOT));
                case 'B' -> sb.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ROOT));
                case 'p' -> sb.append(t.getHour() < 12 ? "AM" : "PM");
                case 's' -> sb.append(t.toEpochSecond());
                case 'z' -> sb.append("+0000");
                case 'Z' -> sb.append("GMT");
                case 'F' -> sb.append(t.getYear()).append('-').append(two(t.getMonthValue())).append('-')
                        .append(two(t.getDayOfMonth()));
                case 'T' -> sb.append(two(t.getHour())).append(':').append(two(t.getMinute())).append(':')
                        .append(two(t.getSecond()));
                default -> sb.append('%');
            }
        }
        return sb.toString();
    }

    private static String two(int v) {
        return v < 10 ? "0" + v : Integer.toString(v);
    }
}

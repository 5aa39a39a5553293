package org.mailsift.core.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an unquoted UCL atom means: a boolean, null, a number (with UCL's suffixes), or else a plain string.
 * Suffixes as in libucl: {@code k m g} multiply by powers of 1000 and {@code kb mb gb} by powers of 1024 (a Long
 * number of bytes); {@code ms s min h d w y} make a Double number of seconds. Suffixes are case-insensitive.
 */
final class UclAtoms {
    private static final Pattern NUMBER = Pattern.compile(
            "([+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?)([a-zA-Z]*)");
    private static final Pattern HEX = Pattern.compile("([+-]?)0[xX]([0-9a-fA-F]+)");

    private UclAtoms() {
    }

    static Object interpret(String atom) {
        switch (atom.toLowerCase(Locale.ROOT)) {
            case "yes", "true", "on" -> { return Boolean.TRUE; }
            case "no", "false", "off" -> { return Boolean.FALSE; }
            case "null" -> { return null; }
            default -> { }
        }
        Matcher hex = HEX.matcher(atom);
        if (hex.matches() && hex.group(2).length() <= 15) {
            long v = Long.parseLong(hex.group(2), 16);
            return hex.group(1).equals("-") ? -v : v;
        }
        Matcher m = NUMBER.matcher(atom);
        if (!m.matches()) {
            return atom;
        }
        String number = m.group(1);
        String suffix = m.group(2).toLowerCase(Locale.ROOT);
        boolean integral = number.matches("[+-]?\\d+");
        if (suffix.isEmpty()) {
            if (integral) {
                try {
                    return Long.parseLong(number);
                } catch (NumberFormatException tooBig) {
                    return Double.parseDouble(number);
                }
            }
            return Double.parseDouble(number);
        }
        double value = Double.parseDouble(number);
        Double seconds = timeMultiplier(suffix);
        if (seconds != null) {
            return value * seconds;
        }
        Long bytes = sizeMultiplier(suffix);
        if (bytes != null) {
            double scaled = value * bytes;
            return scaled == Math.rint(scaled) && Math.abs(scaled) < Long.MAX_VALUE ? (Object) (long) scaled : scaled;
        }
        return atom; // e.g. "3rd", "1x": not a number after all
    }

    private static Double timeMultiplier(String suffix) {
        return switch (suffix) {
            case "ms" -> 0.001;
            case "s" -> 1.0;
            case "min" -> 60.0;
            case "h" -> 3600.0;
            case "d" -> 86400.0;
            case "w" -> 7 * 86400.0;
            case "y" -> 365 * 86400.0;
            default -> null;
        };
    }

    private static Long sizeMultiplier(String suffix) {
        return switch (suffix) {
            case "k" -> 1000L;
            case "m" -> 1000_000L;
            case "g" -> 1000_000_000L;
            case "kb" -> 1L << 10;
            case "mb" -> 1L << 20;
            case "gb" -> 1L << 30;
            default -> null;
        };
    }
}

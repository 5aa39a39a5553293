package org.mailsift.core.config;

import java.util.Locale;

/**
 * A UCL scalar. {@code value} is a String, Boolean, Long, Double, or null (UCL {@code null}).
 * Numbers with suffixes are already converted by the parser: time suffixes (ms, s, min, h, d, w, y) to seconds as a
 * Double, size suffixes to a Long number of bytes: k, m, g are powers of 1000 and kb, mb, gb powers of 1024, as in UCL.
 */
public record UclScalar(Object value, Position position) implements UclValue {

    public boolean isNull() {
        return value == null;
    }

    public String asString() {
        if (value == null) {
            return null;
        }
        if (value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
            return Long.toString(d.longValue());
        }
        return value.toString();
    }

    public double asDouble() {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(position, "expected a number, found \"" + s + "\"");
            }
        }
        throw new ConfigException(position, "expected a number, found " + describe());
    }

    public long asLong() {
        double d = asDouble();
        if (d != Math.rint(d)) {
            throw new ConfigException(position, "expected a whole number, found " + d);
        }
        return (long) d;
    }

    public boolean asBoolean() {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s) {
            switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "yes", "true", "on" -> { return true; }
                case "no", "false", "off" -> { return false; }
                default -> { }
            }
        }
        if (value instanceof Number n && (n.doubleValue() == 0 || n.doubleValue() == 1)) {
            return n.doubleValue() == 1;
        }
        throw new ConfigException(position, "expected yes/no/true/false, found " + describe());
    }

    /** A duration in milliseconds: a bare number is seconds, as in Rspamd ("timeout = 120s;" or "timeout = 120;"). */
    public long asMillis() {
        return Math.round(asDouble() * 1000.0);
    }

    private String describe() {
        return value == null ? "null" : "\"" + value + "\"";
    }
}

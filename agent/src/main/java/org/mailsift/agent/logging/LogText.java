package org.mailsift.agent.logging;

/** Makes values from the network safe for one log line: no control characters (log forging), bounded length. */
final class LogText {
    private static final int MAX = 200;

    private LogText() {
    }

    /** For key=value fields: spaces become '_' too, so the line splits cleanly on spaces. */
    static String clean(String value) {
        return sanitize(value, false);
    }

    /** For free text inside double quotes: spaces stay, quotes become '\''. */
    static String quoted(String value) {
        return sanitize(value, true);
    }

    private static String sanitize(String value, boolean keepSpaces) {
        if (value == null || value.isEmpty()) {
            return "-";
        }
        StringBuilder sb = new StringBuilder(Math.min(value.length(), MAX + 3));
        for (int i = 0; i < value.length() && sb.length() < MAX; i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || (c == ' ' && !keepSpaces)) {
                sb.append('_');
            } else {
                sb.append(keepSpaces && c == '"' ? '\'' : c);
            }
        }
        if (value.length() > MAX) {
            sb.append("...");
        }
        return sb.toString();
    }
}

package org.mailsift.core.message;

import java.util.List;

/**
 * The link attributes of HTML ({@code href}, {@code src}, {@code action}, {@code background}, {@code data-src},
 * {@code srcset}'s first URL): a linear tag scanner, tolerant of the broken markup spam is made of.
 */
final class HtmlLinks {
    private static final List<String> LINK_ATTRIBUTES = List.of("href", "src", "action", "background", "data-src",
            "srcset", "formaction", "poster", "cite", "longdesc");

    /** ASCII characters that end a tag name (space, '>'), an attribute name (space, =><"'/), or are spaces. */
    private static final byte SPACE = 1;
    private static final byte ENDS_TAG_NAME = 2;
    private static final byte ENDS_NAME = 4;
    private static final byte[] ASCII = new byte[128];

    static {
        for (char c : " \t\n\r\f".toCharArray()) {
            ASCII[c] |= SPACE | ENDS_TAG_NAME | ENDS_NAME;
        }
        ASCII['>'] |= ENDS_TAG_NAME;
        for (char c : "=><\"'/".toCharArray()) {
            ASCII[c] |= ENDS_NAME;
        }
    }

    private HtmlLinks() {
    }

    /** Whether c is of the class (looked up: every character of every tag passes here). */
    private static boolean is(char c, byte cls) {
        return c < 128 && (ASCII[c] & cls) != 0;
    }

    /**
     * Where the values go: the value, how many link attribute values the part had before its tag (the bound is
     * checked per tag: a tag's values all count once it is read), whether its tag is img.
     */
    interface Values {
        void value(String value, int before, boolean image);
    }

    static void find(String html, Values out, int max) {
        int n = html.length();
        int found = 0;
        int i = 0;
        while (i < n && found < max) {
            int lt = html.indexOf('<', i);
            if (lt < 0) {
                return;
            }
            i = lt + 1;
            // tag name
            int tagStart = i;
            while (i < n && !is(html.charAt(i), ENDS_TAG_NAME)) {
                i++;
            }
            boolean image = i - tagStart == 3 && html.regionMatches(true, tagStart, "img", 0, 3);
            int before = found;
            // attributes until '>'
            while (i < n && html.charAt(i) != '>' && html.charAt(i) != '<') {
                while (i < n && (isSpace(html.charAt(i)) || html.charAt(i) == '/')) {
                    i++;
                }
                int nameStart = i;
                while (i < n && !is(html.charAt(i), ENDS_NAME)) {
                    i++;
                }
                String name = linkAttribute(html, nameStart, i);
                while (i < n && isSpace(html.charAt(i))) {
                    i++;
                }
                if (i < n && html.charAt(i) == '=') {
                    i++;
                    while (i < n && isSpace(html.charAt(i))) {
                        i++;
                    }
                    int valueStart;
                    int valueEnd;
                    if (i < n && (html.charAt(i) == '"' || html.charAt(i) == '\'')) {
                        char q = html.charAt(i);
                        int end = html.indexOf(q, i + 1);
                        end = end < 0 ? n : end;
                        valueStart = i + 1;
                        valueEnd = end;
                        i = Math.min(n, end + 1);
                    } else {
                        valueStart = i;
                        while (i < n && !is(html.charAt(i), ENDS_TAG_NAME)) {
                            i++;
                        }
                        valueEnd = i;
                    }
                    // only a link attribute's value is copied out
                    String value = name == null ? null : html.substring(valueStart, valueEnd);
                    if (value != null && !value.isBlank()) {
                        String v = value.strip();
                        if (name.equals("srcset")) {
                            int sp = v.indexOf(' ');
                            v = sp > 0 ? v.substring(0, sp) : v;
                        }
                        out.value(v, before, image);
                        found++;
                    }
                } else if (i == nameStart) {
                    i++; // a stray quote or similar: move on
                }
            }
        }
    }

    /** The link attribute whose name is html[from, to) in any case, or null when it is another attribute. */
    private static String linkAttribute(String html, int from, int to) {
        int length = to - from;
        if (length < 3 || length > 10) {
            return null;
        }
        // an ASCII first letter picks the names to compare (every attribute of every tag passes here); any other
        // character is compared as regionMatches always did
        char first = html.charAt(from);
        char lower = first < 128 ? (char) (first | 0x20) : 0;
        for (String a : LINK_ATTRIBUTES) {
            if (a.length() == length && (lower == 0 || a.charAt(0) == lower)
                    && html.regionMatches(true, from, a, 0, length)) {
                return a;
            }
        }
        return null;
    }

    private static boolean isSpace(char c) {
        return is(c, SPACE);
    }
}

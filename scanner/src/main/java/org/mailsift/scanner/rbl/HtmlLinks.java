package org.mailsift.scanner.rbl;

import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The link attributes of HTML ({@code href}, {@code src}, {@code action}, {@code background}, {@code data-src},
 * {@code srcset}'s first URL): a linear tag scanner, tolerant of the broken markup spam is made of.
 */
final class HtmlLinks {
    private static final Set<String> LINK_ATTRIBUTES = Set.of("href", "src", "action", "background", "data-src",
            "srcset", "formaction", "poster", "cite", "longdesc");

    private HtmlLinks() {
    }

    static void find(String html, Consumer<String> out, int max) {
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
            while (i < n && !isSpace(html.charAt(i)) && html.charAt(i) != '>') {
                i++;
            }
            // attributes until '>'
            while (i < n && html.charAt(i) != '>' && html.charAt(i) != '<') {
                while (i < n && (isSpace(html.charAt(i)) || html.charAt(i) == '/')) {
                    i++;
                }
                int nameStart = i;
                while (i < n && !isSpace(html.charAt(i)) && "=><\"'/".indexOf(html.charAt(i)) < 0) {
                    i++;
                }
                String name = html.substring(nameStart, i).toLowerCase(Locale.ROOT);
                while (i < n && isSpace(html.charAt(i))) {
                    i++;
                }
                if (i < n && html.charAt(i) == '=') {
                    i++;
                    while (i < n && isSpace(html.charAt(i))) {
                        i++;
                    }
                    String value;
                    if (i < n && (html.charAt(i) == '"' || html.charAt(i) == '\'')) {
                        char q = html.charAt(i);
                        int end = html.indexOf(q, i + 1);
                        end = end < 0 ? n : end;
                        value = html.substring(i + 1, end);
                        i = Math.min(n, end + 1);
                    } else {
                        int start = i;
                        while (i < n && !isSpace(html.charAt(i)) && html.charAt(i) != '>') {
                            i++;
                        }
                        value = html.substring(start, i);
                    }
                    if (LINK_ATTRIBUTES.contains(name) && !value.isBlank()) {
                        String v = value.strip();
                        if (name.equals("srcset")) {
                            int sp = v.indexOf(' ');
                            v = sp > 0 ? v.substring(0, sp) : v;
                        }
                        out.accept(v);
                        found++;
                    }
                } else if (i == nameStart) {
                    i++; // a stray quote or similar: move on
                }
            }
        }
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    }
}

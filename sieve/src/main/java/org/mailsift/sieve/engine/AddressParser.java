package org.mailsift.sieve.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Extracts the addr-specs from an address-list header value ("Ann &lt;ann@a.example&gt;, bob@b.example,
 * team: c@c.example;"). Hand-written (about 50 lines) because mime4j's address parser lives in mime4j-dom, which we
 * do not otherwise need; it handles quoted strings, comments, angle addresses and groups, and is lenient.
 */
final class AddressParser {
    private AddressParser() {
    }

    static List<String> addresses(String value) {
        List<String> out = new ArrayList<>();
        StringBuilder token = new StringBuilder();
        boolean quoted = false;
        int comment = 0;
        int angle = -1;
        String angleAddress = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quoted) {
                if (c == '\\' && i + 1 < value.length()) {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
                continue; // display names are not addresses
            }
            if (comment > 0) {
                if (c == '(') {
                    comment++;
                } else if (c == ')') {
                    comment--;
                }
                continue;
            }
            switch (c) {
                case '"' -> quoted = true;
                case '(' -> comment = 1;
                case '<' -> angle = token.length();
                case '>' -> {
                    if (angle >= 0) {
                        angleAddress = token.substring(angle);
                        angle = -1;
                    }
                }
                case ':' -> token.setLength(0); // group name ends
                case ',', ';' -> {
                    add(out, angleAddress != null ? angleAddress : token.toString());
                    token.setLength(0);
                    angleAddress = null;
                    angle = -1;
                }
                default -> token.append(c);
            }
        }
        add(out, angleAddress != null ? angleAddress : token.toString());
        return out;
    }

    private static void add(List<String> out, String candidate) {
        String a = candidate.trim();
        // "Ann Example ann@a.example" without brackets: the last word is the address
        int sp = a.lastIndexOf(' ');
        if (sp >= 0 && a.indexOf('@') > sp) {
            a = a.substring(sp + 1);
        }
        if (a.startsWith("@") && a.contains(":")) { // source route
            a = a.substring(a.indexOf(':') + 1);
        }
        if (!a.isEmpty()) {
            out.add(a);
        }
    }
}

package org.mailsift.scanner.regexp;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.mailsift.scanner.expression.AtomParser;
import org.mailsift.scanner.expression.ExpressionException;

/**
 * Reads the atoms of regexp rules as Rspamd's mime expressions do (rspamd_mime_expr_parse): a regexp
 * {@code [Header=]/pattern/flags} (flags: {@code i m s x u r O L} for the regexp, one type letter or {@code {type}},
 * {@code A} to count every match, {@code S} for a case-sensitive header name), a function
 * {@code header_exists(Name)}, or a bare name (a named atom or another rule). A regexp RE2 cannot run is an
 * {@link ExpressionException} at the atom.
 */
final class RegexpAtomParser implements AtomParser<RegexpAtom> {
    /** Rspamd's internal functions mailsift evaluates. */
    static final Set<String> FUNCTIONS = Set.of("header_exists", "raw_header_exists", "is_empty_body",
            "has_only_html_part", "has_content_part", "has_html_tag", "content_type_is_type",
            "content_type_is_subtype");

    @Override
    public Parsed<RegexpAtom> parse(String text, int start) {
        int end = atomEnd(text, start);
        String atom = text.substring(start, end);
        try {
            return new Parsed<>(read(atom), end);
        } catch (IllegalArgumentException e) {
            throw new ExpressionException(e.getMessage(), start);
        }
    }

    /** Where the atom at {@code start} ends (Rspamd's reduced state machine). */
    private static int atomEnd(String text, int start) {
        int p = start;
        int n = text.length();
        while (p < n) {
            char c = text.charAt(p);
            if (c == '/') {
                return regexpEnd(text, p, start);
            }
            if (c == '(') {
                return functionEnd(text, p, start);
            }
            if (!Character.isLetterOrDigit(c) && c != '_' && c != '-' && c != '=' && c != '.') {
                break;
            }
            p++;
        }
        if (p == start) {
            throw new ExpressionException("cannot read an atom at '" + excerpt(text, start) + "'", start);
        }
        return p;
    }

    private static int regexpEnd(String text, int slash, int start) {
        int p = slash + 1;
        while (p < text.length() && text.charAt(p) != '/') {
            p += text.charAt(p) == '\\' ? 2 : 1;
        }
        if (p >= text.length()) {
            throw new ExpressionException("no closing '/' in regexp '" + excerpt(text, start) + "'", start);
        }
        p++;
        while (p < text.length()) {
            char c = text.charAt(p);
            if (c == '{') {
                int close = text.indexOf('}', p);
                if (close < 0) {
                    throw new ExpressionException("no closing '}' in regexp type", p);
                }
                p = close + 1;
            } else if (Character.isLetter(c) || c == '$') {
                p++;
            } else {
                break;
            }
        }
        return p;
    }

    private static int functionEnd(String text, int open, int start) {
        int depth = 0;
        for (int p = open; p < text.length(); p++) {
            char c = text.charAt(p);
            if (c == '\\') {
                p++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return p + 1;
            }
        }
        throw new ExpressionException("no closing ')' in function '" + excerpt(text, start) + "'", start);
    }

    static RegexpAtom read(String atom) {
        int slash = atom.indexOf('/');
        int paren = atom.indexOf('(');
        if (slash < 0 && paren < 0) {
            return new RegexpAtom.Reference(atom);
        }
        if (paren >= 0 && (slash < 0 || paren < slash)) {
            return function(atom, paren);
        }
        String header = null;
        int eq = atom.lastIndexOf('=', slash);
        if (eq > 0) {
            header = atom.substring(0, eq);
        }
        int close = slash + 1;
        while (atom.charAt(close) != '/') {
            close += atom.charAt(close) == '\\' ? 2 : 1;
        }
        String pattern = atom.substring(slash + 1, close);
        StringBuilder reFlags = new StringBuilder();
        RegexpType type = null;
        boolean multiple = false;
        boolean strong = false;
        for (int p = close + 1; p < atom.length(); p++) {
            char c = atom.charAt(p);
            if (c == '{') {
                int end = atom.indexOf('}', p);
                type = RegexpType.ofName(atom.substring(p + 1, end));
                p = end;
            } else if ("imsxuOrL".indexOf(c) >= 0) {
                reFlags.append(c);
            } else if (c == 'A') {
                multiple = true;
            } else if (c == 'S') {
                strong = true;
            } else if (c == 'o' || c == 'T') {
                continue; // Rspamd: 'o' ignored, 'T' marks a test regexp
            } else if (c == 'B') {
                throw new IllegalArgumentException("regexp type B (MIME part headers) is not supported by mailsift");
            } else if (c == '$') {
                type = RegexpType.SELECTOR;
            } else if (RegexpType.ofLetter(c) != null) {
                type = RegexpType.ofLetter(c);
            } else {
                throw new IllegalArgumentException("unknown regexp flag '" + c + "' in " + atom);
            }
        }
        if (type == null) {
            if (header == null) {
                throw new IllegalArgumentException("regexp " + atom + " has no type: write Header=/re/ or /re/{body}, "
                        + "/re/{mime}, /re/{url}, /re/{raw}...");
            }
            type = RegexpType.HEADER;
        }
        if (type.isHeader() && header == null) {
            throw new IllegalArgumentException("header regexp " + atom + " has no header name (Name=/re/)");
        }
        if (type == RegexpType.SELECTOR && header == null) {
            throw new IllegalArgumentException("selector regexp " + atom + " has no selector name (name=/re/{selector})");
        }
        com.google.re2j.Pattern compiled = PerlRegex.compile(pattern, reFlags.toString());
        GuardedRegex regex = new GuardedRegex(compiled);
        return new RegexpAtom.Match(atom, type, type.isNamed() ? header : null, regex, multiple, strong, regex.literals());
    }

    private static RegexpAtom function(String atom, int paren) {
        String name = atom.substring(0, paren);
        if (!FUNCTIONS.contains(name)) {
            throw new IllegalArgumentException("function " + name + "() is not supported (mailsift has "
                    + String.join(", ", FUNCTIONS.stream().sorted().toList()) + ")");
        }
        List<String> args = new ArrayList<>();
        for (String a : atom.substring(paren + 1, atom.lastIndexOf(')')).split(",")) {
            String s = a.strip();
            if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) {
                s = s.substring(1, s.length() - 1);
            }
            if (!s.isEmpty()) {
                args.add(s);
            }
        }
        return new RegexpAtom.Function(atom, name, args);
    }

    private static String excerpt(String text, int p) {
        String rest = text.substring(p);
        return rest.length() > 30 ? rest.substring(0, 30) + "..." : rest;
    }
}

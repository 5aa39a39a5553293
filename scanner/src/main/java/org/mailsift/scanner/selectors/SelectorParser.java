package org.mailsift.scanner.selectors;

import java.util.ArrayList;
import java.util.List;

/**
 * The grammar of Rspamd's selectors (lua_selectors' LPeg grammar), by hand as a small recursive descent so errors name
 * their position:
 * <pre>
 * list      = expr ( sep expr )*            sep = ';' or '*' with optional spaces
 * expr      = call ( ':' call )? ( '.' call )*
 * call      = atom ( '(' args ')' )?
 * args      = ( arg ','? )*                  arg = atom-like word | 'single' | "double" | '{' args '}'
 * </pre>
 * Quoted arguments keep their backslashes as written (Rspamd passes them through to regular expressions).
 */
final class SelectorParser {
    /** One name with its arguments; {@code position} is 1-based. */
    record Call(String name, List<String> args, int position) {
    }

    /** One selector of the list: extractor, optional {@code :method}, then transforms. */
    record Element(Call extractor, Call method, List<Call> processors) {
    }

    private final String text;
    private int pos;

    private SelectorParser(String text) {
        this.text = text;
    }

    static List<Element> parse(String text) {
        if (text == null || text.isBlank()) {
            throw new SelectorException(text == null ? "" : text, 0, "empty selector");
        }
        SelectorParser p = new SelectorParser(text);
        List<Element> out = new ArrayList<>();
        p.spaces();
        out.add(p.element());
        while (true) {
            p.spaces();
            if (p.pos >= text.length()) {
                break;
            }
            char c = text.charAt(p.pos);
            if (c != ';' && c != '*') {
                throw p.error("unexpected '" + rest(text, p.pos) + "' (selectors are separated by ';')");
            }
            p.pos++;
            p.spaces();
            out.add(p.element());
        }
        return out;
    }

    private static String rest(String text, int pos) {
        String r = text.substring(pos);
        return r.length() > 20 ? r.substring(0, 20) + "..." : r;
    }

    private Element element() {
        Call extractor = call("an extractor name");
        Call method = null;
        List<Call> processors = new ArrayList<>();
        if (peek() == ':') {
            pos++;
            method = call("a method name after ':'");
        }
        while (peek() == '.') {
            pos++;
            processors.add(call("a transform name after '.'"));
        }
        return new Element(extractor, method, processors);
    }

    private Call call(String what) {
        int start = pos;
        if (pos >= text.length() || !atomStart(text.charAt(pos))) {
            throw error("expected " + what + (pos < text.length() ? ", found '" + text.charAt(pos) + "'" : ""));
        }
        while (pos < text.length() && (atomStart(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        String name = text.substring(start, pos);
        List<String> args = new ArrayList<>();
        int save = pos;
        spaces();
        if (peek() == '(') {
            pos++;
            args(args, ')');
        } else {
            pos = save;
        }
        return new Call(name, args, start + 1);
    }

    private void args(List<String> into, char close) {
        while (true) {
            spaces();
            if (pos >= text.length()) {
                throw error("missing '" + close + "'");
            }
            char c = text.charAt(pos);
            if (c == close) {
                pos++;
                return;
            }
            if (c == '\'' || c == '"') {
                into.add(quoted(c));
            } else if (c == '{') {
                pos++;
                args(into, '}');
            } else if (atomStart(c)) {
                int start = pos;
                while (pos < text.length() && "'\r\n\f\\,)(}{= \"".indexOf(text.charAt(pos)) < 0) {
                    pos++;
                }
                into.add(text.substring(start, pos));
            } else {
                throw error("unexpected '" + c + "' in arguments (quote arguments with special characters)");
            }
            spaces();
            if (peek() == ',') {
                pos++;
            } else if (peek() == '=') {
                throw error("named arguments are not supported");
            }
        }
    }

    private String quoted(char quote) {
        int start = ++pos;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\\' && pos + 1 < text.length()) {
                pos += 2;
                continue;
            }
            if (c == quote) {
                String s = text.substring(start, pos);
                pos++;
                return s;
            }
            if (c == '\r' || c == '\n' || c == '\f') {
                break;
            }
            pos++;
        }
        pos = start - 1;
        throw error("unterminated " + (quote == '"' ? "double" : "single") + "-quoted argument");
    }

    private static boolean atomStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c >= 0x80;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void spaces() {
        while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t'
                || text.charAt(pos) == '\n')) {
            pos++;
        }
    }

    private SelectorException error(String problem) {
        return new SelectorException(text, pos + 1, problem);
    }
}

package org.mailsift.core.config;

/**
 * The character level of {@link UclParser}: where we are (line and column for error messages), white space and
 * comments ({@code #} and nesting {@code /* *}{@code /}), and the tokens that are read the same way everywhere:
 * keys, unquoted atoms, double- and single-quoted strings and heredocs (returned raw, before variable expansion).
 */
final class UclLexer {
    /** What an escaped dollar ({@code \$}) reads as until variable expansion makes it a '$'. */
    static final char ESCAPED_DOLLAR = '\uFDD0';

    private final String text;
    private final String file;
    private int pos;
    private int line = 1;
    private int column = 1;

    UclLexer(String text, String file) {
        this(text, file, 1, 1);
    }

    /** A lexer over a piece of a file (a macro's arguments) that starts at {@code line}:{@code column}. */
    UclLexer(String text, String file, int line, int column) {
        this.text = text;
        this.file = file;
        this.line = line;
        this.column = column;
    }

    boolean startsWith(String prefix) {
        return text.startsWith(prefix, pos);
    }

    /** A place to come back to with {@link #reset(Mark)} (for one look-ahead). */
    record Mark(int pos, int line, int column) {
    }

    Mark mark() {
        return new Mark(pos, line, column);
    }

    void reset(Mark mark) {
        pos = mark.pos();
        line = mark.line();
        column = mark.column();
    }

    String readAtom() {
        StringBuilder atom = new StringBuilder();
        while (!atEnd() && isAtomChar(peek()) && !startsWith("/*")) {
            atom.append(advance());
        }
        return atom.toString();
    }

    String readDoubleQuoted() {
        Position open = here();
        advance();
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (atEnd() || peek() == '\n') {
                throw new ConfigException(open, "unterminated string (missing closing '\"')");
            }
            char c = advance();
            if (c == '"') {
                return sb.toString();
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (atEnd()) {
                throw new ConfigException(open, "unterminated string (missing closing '\"')");
            }
            readEscape(sb);
        }
    }

    /** After a backslash (consumed): JSON's escapes, and as in libucl any other character stands for itself. */
    private void readEscape(StringBuilder sb) {
        Position escPos = new Position(file, line, column - 1);
        char e = advance();
        switch (e) {
            case 'n' -> sb.append('\n');
            case 't' -> sb.append('\t');
            case 'r' -> sb.append('\r');
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            // a literal dollar, which the parser's variable expansion must not read as the start of a variable; a
            // noncharacter marks it, so an escaped backslash followed by '$' ("\\\\$", a regexp's \$) stays "\\$"
            case '$' -> sb.append(ESCAPED_DOLLAR);
            case '\n' -> { } // line continuation
            case 'u' -> sb.append(readUnicodeEscape(escPos));
            // any other escape: libucl (ucl_unescape_json_string) drops the backslash and keeps the character, so
            // Rspamd reads "vnd\.ms-word" as "vnd.ms-word"; so do we, or a pasted regexp would match differently
            default -> sb.append(e);
        }
    }

    /**
     * An unquoted value as libucl reads it (ucl_parse_string_value): everything up to a new line, ';', ',', an
     * unpaired ']' or '}', '#' or a comment, so it may hold spaces ({@code subject = *** SPAM *** %s;}); paired
     * braces and brackets ({@code ${VAR}}) and backslash escapes belong to it; trailing spaces are dropped.
     */
    String readUnquoted() {
        StringBuilder sb = new StringBuilder();
        int curly = 0;
        int square = 0;
        while (!atEnd()) {
            char c = peek();
            if (c == '\\') {
                advance();
                if (atEnd()) {
                    sb.append('\\');
                    break;
                }
                readEscape(sb);
                continue;
            }
            if (c == '{') {
                curly++;
            } else if (c == '[') {
                square++;
            } else if (c == '}' && curly > 0) {
                curly--;
                sb.append(advance());
                continue;
            } else if (c == ']' && square > 0) {
                square--;
                sb.append(advance());
                continue;
            }
            if (c == '\n' || c == '\r' || c == ';' || c == ',' || c == ']' || c == '}' || c == '#'
                    || startsWith("/*")) {
                break;
            }
            sb.append(advance());
        }
        return sb.toString().stripTrailing();
    }

    /** Whether a '{' or '[' comes before the end of this line (outside strings): libucl's "key name {" test. */
    boolean lineOpensSection() {
        boolean quoted = false;
        for (int i = pos; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '{' || c == '[') {
                return true;
            } else if (c == ',' || c == ';' || c == '\n' || c == '\r' || c == '#' || text.startsWith("/*", i)) {
                return false;
            }
        }
        return false;
    }

    char readUnicodeEscape(Position escPos) {
        if (pos + 4 > text.length()) {
            throw new ConfigException(escPos, "\\u needs four hex digits");
        }
        String hex = text.substring(pos, pos + 4);
        try {
            char ch = (char) Integer.parseInt(hex, 16);
            for (int i = 0; i < 4; i++) {
                advance();
            }
            return ch;
        } catch (NumberFormatException e) {
            throw new ConfigException(escPos, "\\u needs four hex digits, found \"" + hex + "\"");
        }
    }

    String readSingleQuoted() {
        Position open = here();
        advance();
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (atEnd()) {
                throw new ConfigException(open, "unterminated string (missing closing \"'\")");
            }
            char c = advance();
            if (c == '\'') {
                return sb.toString();
            }
            if (c != '\\' || atEnd()) {
                sb.append(c);
            } else if (peek() == '\'') {
                sb.append(advance());
            } else if (peek() == '\n' || peek() == '\r') {
                // as libucl: a backslash before the end of a line continues the string on the next one
                if (advance() == '\r' && peek() == '\n') {
                    advance();
                }
            } else {
                // any other pair stays as written, both characters ('\\' is two backslashes, then a quote ends)
                sb.append(c).append(advance());
            }
        }
    }

    /** A piece of the input and where it starts (a macro's arguments, parsed on their own as libucl does). */
    record Piece(String text, int line, int column) {
    }

    /** The text between the '(' under the cursor and its matching ')', skipping parentheses inside "strings". */
    Piece readParenthesized() {
        Position open = here();
        advance();
        int startPos = pos;
        int startLine = line;
        int startColumn = column;
        int depth = 1;
        boolean quoted = false;
        while (!atEnd()) {
            char c = advance();
            if (quoted) {
                if (c == '\\' && !atEnd()) {
                    advance();
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return new Piece(text.substring(startPos, pos - 1), startLine, startColumn);
            }
        }
        throw new ConfigException(open, "missing ')' to close the macro arguments");
    }

    /** A macro body {@code { ... }}: the text up to the first '}', trimmed, as libucl reads it (no nesting). */
    String readBraceBody() {
        Position open = here();
        advance();
        StringBuilder sb = new StringBuilder();
        while (!atEnd()) {
            char c = advance();
            if (c == '}') {
                return sb.toString().strip();
            }
            sb.append(c);
        }
        throw new ConfigException(open, "missing '}' to close the macro body");
    }

    /** Whether a heredoc starts here: {@code <<}, capital letters, a new line (else {@code <<x} is a plain word). */
    boolean atHeredoc() {
        if (!startsWith("<<")) {
            return false;
        }
        int i = pos + 2;
        while (i < text.length() && text.charAt(i) >= 'A' && text.charAt(i) <= 'Z') {
            i++;
        }
        return i > pos + 2 && (text.startsWith("\n", i) || text.startsWith("\r\n", i));
    }

    /** {@code <<EOD} newline, lines, then {@code EOD} alone on its line (a ';' or ',' may follow it). */
    String readHeredoc() {
        Position open = here();
        advance();
        advance();
        StringBuilder marker = new StringBuilder();
        while (!atEnd() && peek() >= 'A' && peek() <= 'Z') {
            marker.append(advance());
        }
        if (peek() == '\r') {
            advance();
        }
        if (marker.isEmpty() || peek() != '\n') {
            throw new ConfigException(open, "a heredoc starts with <<MARKER (capital letters) and a new line");
        }
        advance();
        String end = marker.toString();
        int start = pos;
        while (!atEnd()) {
            int eol = text.indexOf('\n', pos);
            int lineEnd = eol < 0 ? text.length() : eol;
            String current = text.substring(pos, lineEnd);
            String after = current.startsWith(end) ? current.substring(end.length()) : null;
            // as libucl: the marker ends the text only when a new line, ';' or ',' follows it ("EOD  " does not)
            if (after != null && (after.isEmpty() || after.equals("\r") || after.startsWith(";")
                    || after.startsWith(","))) {
                String body = text.substring(start, pos);
                for (int i = 0; i < end.length(); i++) {
                    advance();
                }
                return body.endsWith("\n") ? body.substring(0, body.length() - 1) : body;
            }
            while (pos < lineEnd) {
                advance();
            }
            if (!atEnd()) {
                advance();
            }
        }
        throw new ConfigException(open, "unterminated heredoc (missing a line with " + end + ")");
    }

    String readKey() {
        char c = peek();
        if (c == '"') {
            return readDoubleQuoted().replace(ESCAPED_DOLLAR, '$');
        }
        if (c == '\'') {
            return readSingleQuoted();
        }
        if (!isKeyChar(c)) {
            throw error("expected a key, found '" + printable(c) + "'");
        }
        StringBuilder sb = new StringBuilder();
        while (!atEnd() && isKeyChar(peek())) {
            sb.append(advance());
        }
        return sb.toString();
    }

    static boolean isKeyChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || c == '/' || c == '@' || c == '*'
                || c == '+' || c == '$' || c == '%';
    }

    static boolean isAtomChar(char c) {
        return !Character.isWhitespace(c) && c != ';' && c != ',' && c != '{' && c != '}' && c != '[' && c != ']'
                && c != '"' && c != '\'' && c != '#' && c != 0;
    }

    boolean atEnd() {
        return pos >= text.length();
    }

    char peek() {
        return pos < text.length() ? text.charAt(pos) : 0;
    }

    char advance() {
        char c = text.charAt(pos++);
        if (c == '\n') {
            line++;
            column = 1;
        } else {
            column++;
        }
        return c;
    }

    Position here() {
        return new Position(file, line, column);
    }

    ConfigException error(String message) {
        return new ConfigException(here(), message);
    }

    static String printable(char c) {
        if (c == 0) {
            return "end of file";
        }
        if (c == '\n') {
            return "\\n";
        }
        return c < 0x20 ? String.format("\\x%02x", (int) c) : String.valueOf(c);
    }

    void skipInlineSpace() {
        while (!atEnd()) {
            char c = peek();
            if (c == ' ' || c == '\t') {
                advance();
            } else if (c == '#') {
                while (!atEnd() && peek() != '\n') {
                    advance();
                }
            } else if (startsWith("/*")) {
                skipBlockComment();
            } else {
                return;
            }
        }
    }

    void skipSpace() {
        while (!atEnd()) {
            char c = peek();
            if (c == '\n' || c == '\r') {
                advance();
            } else if (c == ' ' || c == '\t' || c == '#' || startsWith("/*")) {
                skipInlineSpace();
            } else {
                return;
            }
        }
    }

    void skipSpaceAndSeparators() {
        while (true) {
            skipSpace();
            if (peek() == ';' || peek() == ',') {
                advance();
            } else {
                return;
            }
        }
    }

    /** UCL block comments nest: {@code /* a /* b *}{@code / c *}{@code /} is one comment. */
    private void skipBlockComment() {
        Position open = here();
        int depth = 0;
        while (!atEnd()) {
            if (startsWith("/*")) {
                advance();
                advance();
                depth++;
            } else if (startsWith("*/")) {
                advance();
                advance();
                if (--depth == 0) {
                    return;
                }
            } else {
                advance();
            }
        }
        throw new ConfigException(open, "unterminated comment (missing '*/')");
    }

}

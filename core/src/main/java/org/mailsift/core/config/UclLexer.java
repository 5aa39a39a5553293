package org.mailsift.core.config;

/**
 * The character level of {@link UclParser}: where we are (line and column for error messages), white space and
 * comments ({@code #} and nesting {@code /* *}{@code /}), and the tokens that are read the same way everywhere:
 * keys, unquoted atoms, double- and single-quoted strings and heredocs (returned raw, before variable expansion).
 */
final class UclLexer {
    private final String text;
    private final String file;
    private int pos;
    private int line = 1;
    private int column = 1;

    UclLexer(String text, String file) {
        this.text = text;
        this.file = file;
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
            Position escPos = new Position(file, line, column - 1);
            char e = advance();
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case '\\', '"', '/', '\'' -> sb.append(e);
                case '$' -> sb.append("\\$");
                case '\n' -> { } // line continuation
                case 'u' -> sb.append(readUnicodeEscape(escPos));
                default -> throw new ConfigException(escPos, "unknown escape '\\" + printable(e) + "' in a string");
            }
        }
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
            if (c == '\\' && peek() == '\'') {
                sb.append(advance());
            } else {
                sb.append(c);
            }
        }
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
            if (current.startsWith(end) && current.substring(end.length()).strip().matches("[;,]?")) {
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
            return readDoubleQuoted();
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

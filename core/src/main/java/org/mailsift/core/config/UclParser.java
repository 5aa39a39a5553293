package org.mailsift.core.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A recursive-descent parser for the UCL subset Rspamd admins write (hand-written: no Java library parses UCL).
 *
 * <ul>
 *   <li>{@code key = value;}, {@code key: value}, {@code key value;} — the terminator ({@code ;} or {@code ,}) may be
 *       replaced by a new line; a key written twice keeps both values (UCL's implicit array).</li>
 *   <li>{@code section { }}, {@code key = { }}, and named sections {@code section "name" { }}, which parse as
 *       {@code section { name { } }}.</li>
 *   <li>arrays {@code [a, b, ]} (trailing separator allowed), objects inside arrays.</li>
 *   <li>{@code #} line comments and nested {@code /* *}{@code /} comments.</li>
 *   <li>strings: {@code "..."} with JSON escapes, {@code '...'} (only {@code \'} is an escape), heredocs
 *       {@code <<EOD ... EOD}, and unquoted atoms (which end at white space).</li>
 *   <li>numbers with UCL suffixes: {@code k m g} (powers of 1000) and {@code kb mb gb} (powers of 1024) give a Long
 *       number of bytes; {@code ms s min h d w y} give a Double number of seconds.</li>
 *   <li>{@code yes/no/true/false/on/off} booleans and {@code null}.</li>
 *   <li>{@code .include(try=true,priority=N,duplicate=append|merge|rewrite|error) "path"}, relative to the including
 *       file, with {@code $VARIABLE} expansion (e.g. {@code $CONFDIR}) and a {@code *}/{@code ?} pattern in the
 *       file name. Keys from an include with a higher priority replace existing ones, a lower priority never
 *       replaces; at equal priority {@code duplicate} decides: {@code append} (the default) keeps both values,
 *       {@code merge} merges sections recursively (see {@link UclMerge}) and replaces scalars, {@code rewrite}
 *       replaces, {@code error} fails.</li>
 * </ul>
 * Every error is a {@link ConfigException} naming file, line and column. A parser holds the state of one parse:
 * use one per thread.
 */
public final class UclParser {
    private static final int MAX_INCLUDE_DEPTH = 16;
    private static final int MAX_NESTING = 128;

    private final Map<String, String> variables;
    private final int includeDepth;

    private UclLexer in;
    private Path baseDir;
    private int nesting;

    /** @param variables values for {@code $NAME} / {@code ${NAME}} in strings and include paths (e.g. CONFDIR). */
    public UclParser(Map<String, String> variables) {
        this(variables, 0);
    }

    private UclParser(Map<String, String> variables, int includeDepth) {
        this.variables = Map.copyOf(variables);
        this.includeDepth = includeDepth;
    }

    /** Parses a file; includes are resolved relative to its directory. */
    public UclObject parseFile(Path path) {
        String name = path.toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new ConfigException(new Position(name, 0, 0), "cannot read: " + e.getMessage());
        }
        String decoded;
        try {
            decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(new Position(name, 1, 1), "not valid UTF-8");
        }
        Path parent = path.toAbsolutePath().getParent();
        return parse(decoded, name, parent);
    }

    /** Parses text; {@code fileName} is used in positions, relative includes resolve against {@code baseDir}. */
    public UclObject parse(String source, String fileName, Path baseDir) {
        this.in = new UclLexer(source.startsWith("\uFEFF") ? source.substring(1) : source, fileName);
        this.baseDir = baseDir;
        in.skipSpace();
        UclObject result;
        if (in.peek() == '{') {
            // a whole file may be wrapped in braces, as in JSON
            Position open = in.here();
            in.advance();
            result = parseEntries(open, '}');
            in.skipSpace();
            if (!in.atEnd()) {
                throw in.error("unexpected '" + UclLexer.printable(in.peek()) + "' after the closing '}'");
            }
        } else {
            result = parseEntries(new Position(fileName, 1, 1), (char) 0);
        }
        return result;
    }

    // ---------------------------------------------------------------------------------------------- objects

    /** UclEntries up to {@code close} ('}' or end of input when 0); the opening brace was consumed. */
    private UclObject parseEntries(Position open, char close) {
        enter(open);
        UclEntries entries = new UclEntries();
        while (true) {
            in.skipSpaceAndSeparators();
            if (in.atEnd()) {
                if (close != 0) {
                    throw in.error("missing '}' to close the section opened at " + open.line() + ":" + open.column());
                }
                break;
            }
            char c = in.peek();
            if (c == close) {
                in.advance();
                break;
            }
            if (c == '}' || c == ']') {
                throw in.error("unexpected '" + c + "'");
            }
            if (c == '.') {
                parseMacro(entries);
                continue;
            }
            parseEntry(entries);
        }
        nesting--;
        return entries.toObject(open);
    }

    private void parseEntry(UclEntries entries) {
        Position keyPos = in.here();
        String key = in.readKey();
        in.skipInlineSpace();
        boolean explicitSeparator = false;
        if (in.peek() == '=' || in.peek() == ':') {
            in.advance();
            explicitSeparator = true;
            in.skipSpace();
        } else {
            in.skipSpace();
        }
        if (in.atEnd()) {
            throw in.error("missing value for '" + key + "'");
        }
        UclValue value;
        if (!explicitSeparator && in.peek() != '{' && in.peek() != '[') {
            value = parseValueOrNamedSection(keyPos);
        } else {
            value = parseValue();
        }
        entries.add(key, value, 0, Duplicate.APPEND);
        endOfValue();
    }

    /**
     * After {@code key} without '=': either a value ({@code key value;}) or one or more section names followed by
     * a brace ({@code worker "normal" { }}, which nests as {@code worker { normal { } }}).
     */
    private UclValue parseValueOrNamedSection(Position keyPos) {
        if (in.peek() == '<' && in.startsWith("<<")) {
            return parseScalar();
        }
        List<Token> names = new ArrayList<>();
        names.add(parseToken());
        while (true) {
            in.skipInlineSpace();
            char c = in.peek();
            if (c == '{' || (c == '\n' || c == '\r') && nextSignificantIsBrace()) {
                in.skipSpace();
                break;
            }
            if (in.atEnd() || c != '"' && c != '\'' && !UclLexer.isAtomChar(c)) {
                if (names.size() == 1) {
                    return names.get(0).toScalar();
                }
                throw in.error("expected '{' after the section names");
            }
            names.add(parseToken());
        }
        Position open = in.here();
        in.advance(); // '{'
        UclValue nested = parseEntries(open, '}');
        for (int i = names.size() - 1; i >= 0; i--) {
            UclEntries wrapper = new UclEntries();
            wrapper.add(names.get(i).text(), nested, 0, Duplicate.APPEND);
            nested = wrapper.toObject(i == 0 ? keyPos : names.get(i - 1).position());
        }
        return nested;
    }

    /** Whether the next thing after white space and comments (new lines included) is '{'. */
    private boolean nextSignificantIsBrace() {
        UclLexer.Mark mark = in.mark();
        in.skipSpace();
        boolean brace = in.peek() == '{';
        in.reset(mark);
        return brace;
    }

    /** A string or an unquoted atom, kept as written so that it can serve as a section name. */
    private Token parseToken() {
        Position at = in.here();
        char c = in.peek();
        if (c == '"') {
            return new Token(expand(in.readDoubleQuoted()), true, at);
        }
        if (c == '\'') {
            return new Token(in.readSingleQuoted(), true, at);
        }
        if (!UclLexer.isAtomChar(c)) {
            throw in.error("expected a value, found '" + UclLexer.printable(c) + "'");
        }
        return new Token(expand(in.readAtom()), false, at);
    }

    private record Token(String text, boolean quoted, Position position) {
        UclScalar toScalar() {
            return new UclScalar(quoted ? text : UclAtoms.interpret(text), position);
        }
    }

    // ---------------------------------------------------------------------------------------------- macros

    private void parseMacro(UclEntries entries) {
        Position at = in.here();
        in.advance(); // '.'
        StringBuilder name = new StringBuilder();
        while (!in.atEnd() && (Character.isLetterOrDigit(in.peek()) || in.peek() == '_')) {
            name.append(in.advance());
        }
        if (!name.toString().equals("include") && !name.toString().equals("try_include")) {
            throw new ConfigException(at, "unknown macro '." + name + "' (only .include is supported)");
        }
        IncludeParams params = new IncludeParams(name.toString().equals("try_include"), 0, Duplicate.APPEND);
        in.skipInlineSpace();
        if (in.peek() == '(') {
            params = parseIncludeParams(params);
        }
        in.skipInlineSpace();
        Position pathPos = in.here();
        if (in.peek() != '"' && in.peek() != '\'') {
            throw in.error("expected a quoted path after .include");
        }
        String rawPath = in.peek() == '"' ? in.readDoubleQuoted() : in.readSingleQuoted();
        endOfValue();
        include(entries, expand(rawPath), pathPos, params);
    }

    private IncludeParams parseIncludeParams(IncludeParams defaults) {
        in.advance(); // '('
        boolean optional = defaults.optional();
        int priority = defaults.priority();
        Duplicate duplicate = defaults.duplicate();
        while (true) {
            in.skipSpace();
            while (in.peek() == ',' || in.peek() == ';') {
                in.advance();
                in.skipSpace();
            }
            if (in.atEnd()) {
                throw in.error("missing ')' after .include parameters");
            }
            if (in.peek() == ')') {
                in.advance();
                return new IncludeParams(optional, priority, duplicate);
            }
            Position namePos = in.here();
            String name = in.readKey();
            in.skipSpace();
            if (in.peek() != '=' && in.peek() != ':') {
                throw in.error("expected '=' after .include parameter '" + name + "'");
            }
            in.advance();
            in.skipSpace();
            Position valuePos = in.here();
            UclScalar s = parseIncludeParamValue(valuePos);
            switch (name) {
                case "try" -> optional = s.asBoolean();
                case "priority" -> {
                    long p = s.asLong();
                    if (p < 0 || p > 15) {
                        throw new ConfigException(valuePos, ".include priority must be between 0 and 15");
                    }
                    priority = (int) p;
                }
                case "duplicate" -> duplicate = Duplicate.parse(s.asString(), valuePos);
                default -> throw new ConfigException(namePos, "unknown .include parameter '" + name
                        + "' (supported: try, priority, duplicate)");
            }
        }
    }

    /** A parameter value: a quoted string or a word ending at white space, ',', ';' or ')'. */
    private UclScalar parseIncludeParamValue(Position at) {
        if (in.peek() == '"' || in.peek() == '\'') {
            return parseScalar();
        }
        StringBuilder word = new StringBuilder();
        while (!in.atEnd() && UclLexer.isAtomChar(in.peek()) && in.peek() != ')') {
            word.append(in.advance());
        }
        if (word.isEmpty()) {
            throw in.error("expected a value for the .include parameter");
        }
        return new UclScalar(UclAtoms.interpret(word.toString()), at);
    }

    private void include(UclEntries entries, String rawPath, Position at, IncludeParams params) {
        if (includeDepth >= MAX_INCLUDE_DEPTH) {
            throw new ConfigException(at, "includes nested more than " + MAX_INCLUDE_DEPTH + " deep (an include loop?)");
        }
        Path path = Path.of(rawPath);
        if (!path.isAbsolute() && baseDir != null) {
            path = baseDir.resolve(path);
        }
        List<Path> files = IncludeFiles.resolve(path);
        if (files.isEmpty()) {
            if (params.optional()) {
                return;
            }
            throw new ConfigException(at, "included file not found: " + path);
        }
        for (Path f : files) {
            UclObject included = new UclParser(variables, includeDepth + 1).parseFile(f);
            for (Map.Entry<String, List<UclValue>> e : included.entries().entrySet()) {
                for (UclValue v : e.getValue()) {
                    entries.addIncluded(e.getKey(), v, params.priority(), params.duplicate(), at);
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- values

    private UclValue parseValue() {
        char c = in.peek();
        if (c == '{') {
            Position open = in.here();
            in.advance();
            return parseEntries(open, '}');
        }
        if (c == '[') {
            return parseArray();
        }
        return parseScalar();
    }

    private UclArray parseArray() {
        Position open = in.here();
        enter(open);
        in.advance(); // '['
        List<UclValue> items = new ArrayList<>();
        while (true) {
            in.skipSpaceAndSeparators();
            if (in.atEnd()) {
                throw in.error("missing ']' to close the array opened at " + open.line() + ":" + open.column());
            }
            if (in.peek() == ']') {
                in.advance();
                break;
            }
            if (in.peek() == '}') {
                throw in.error("unexpected '}' in the array opened at " + open.line() + ":" + open.column());
            }
            items.add(parseValue());
            in.skipSpace();
            if (!in.atEnd() && in.peek() != ',' && in.peek() != ';' && in.peek() != ']') {
                throw in.error("expected ',' or ']' in the array opened at " + open.line() + ":" + open.column());
            }
        }
        nesting--;
        return new UclArray(items, open);
    }

    private UclScalar parseScalar() {
        Position at = in.here();
        char c = in.peek();
        if (c == '"') {
            return new UclScalar(expand(in.readDoubleQuoted()), at);
        }
        if (c == '\'') {
            return new UclScalar(in.readSingleQuoted(), at);
        }
        if (c == '<' && in.startsWith("<<")) {
            return new UclScalar(expand(in.readHeredoc()), at);
        }
        if (!UclLexer.isAtomChar(c)) {
            throw in.error("expected a value, found '" + UclLexer.printable(c) + "'");
        }
        return new UclScalar(UclAtoms.interpret(expand(in.readAtom())), at);
    }

    /** After a value: spaces and comments on the same line, then ';', ',', a new line, '}' or the end. */
    private void endOfValue() {
        in.skipInlineSpace();
        if (in.atEnd()) {
            return;
        }
        char c = in.peek();
        if (c == ';' || c == ',' || c == '\n' || c == '\r' || c == '}') {
            return;
        }
        throw in.error("expected ';' or a new line after the value, found '" + UclLexer.printable(c) + "'");
    }

    // ---------------------------------------------------------------------------------------------- variables

    /** Replaces {@code $NAME} and {@code ${NAME}} for known variables; unknown ones stay as written. */
    private String expand(String s) {
        if (s.indexOf('$') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() && s.charAt(i + 1) == '$') {
                sb.append('$'); // an escaped dollar is literal
                i += 2;
                continue;
            }
            if (c == '$') {
                boolean braced = i + 1 < s.length() && s.charAt(i + 1) == '{';
                int nameStart = i + (braced ? 2 : 1);
                int j = nameStart;
                while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
                    j++;
                }
                String name = s.substring(nameStart, j);
                boolean closed = !braced || j < s.length() && s.charAt(j) == '}';
                if (!name.isEmpty() && closed && variables.containsKey(name)) {
                    sb.append(variables.get(name));
                    i = braced ? j + 1 : j;
                    continue;
                }
            }
            sb.append(c);
            i++;
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------------------------------------- lexing

    private void enter(Position open) {
        if (++nesting > MAX_NESTING) {
            throw new ConfigException(open, "sections nested more than " + MAX_NESTING + " deep");
        }
    }

    // ---------------------------------------------------------------------------------------------- building

    /** How an included key meets an existing one of the same priority. */
    public enum Duplicate {
        APPEND, MERGE, REWRITE, ERROR;

        static Duplicate parse(String s, Position at) {
            return switch (s == null ? "" : s) {
                case "append" -> APPEND;
                case "merge" -> MERGE;
                case "rewrite", "replace" -> REWRITE;
                case "error" -> ERROR;
                default -> throw new ConfigException(at, "duplicate must be append, merge, rewrite or error, found \""
                        + s + "\"");
            };
        }
    }

    private record IncludeParams(boolean optional, int priority, Duplicate duplicate) {
    }

}

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
import java.util.function.Consumer;

/**
 * A recursive-descent parser for the UCL subset Rspamd admins write (hand-written: no Java library parses UCL).
 *
 * <ul>
 *   <li>{@code key = value;}, {@code key: value}, {@code key value;} — the terminator ({@code ;} or {@code ,}) may be
 *       replaced by a new line; a key written twice keeps both values (UCL's implicit array). An unquoted value
 *       runs, as in libucl, to the end of the line or the terminator, spaces included.</li>
 *   <li>{@code section { }}, {@code key = { }}, and named sections {@code section "name" { }}, which parse as
 *       {@code section { name { } }}.</li>
 *   <li>arrays {@code [a, b, ]} (trailing separator allowed), objects inside arrays.</li>
 *   <li>{@code #} line comments and nested {@code /* *}{@code /} comments.</li>
 *   <li>strings: {@code "..."} with JSON escapes, where any other escaped character stands for itself as in libucl
 *       ({@code "\."} is {@code "."}), {@code '...'} (only {@code \'} and a backslash before a line end are
 *       escapes), heredocs {@code <<EOD ... EOD}, and unquoted atoms (which end at white space).</li>
 *   <li>numbers with UCL suffixes: {@code k m g} (powers of 1000) and {@code kb mb gb} (powers of 1024) give a Long
 *       number of bytes; {@code ms s min h d w y} give a Double number of seconds.</li>
 *   <li>{@code yes/no/true/false/on/off} booleans and {@code null}.</li>
 *   <li>{@code .include(try=true,priority=N,duplicate=append|merge|rewrite|error) "path"}, relative to the including
 *       file, with {@code $VARIABLE} expansion (e.g. {@code $CONFDIR}) and a {@code *}/{@code ?} pattern in the
 *       file name. Keys from an include with a higher priority replace existing ones, a lower priority never
 *       replaces; at equal priority {@code duplicate} decides: {@code append} (the default) keeps both values,
 *       {@code merge} merges sections recursively (see {@link UclMerge}) and replaces scalars, {@code rewrite}
 *       replaces, {@code error} fails. {@code glob}, {@code prefix}/{@code key}/{@code target} and {@code path}
 *       work as in libucl (see {@link IncludeParams}); an unknown parameter is a warning.</li>
 *   <li>libucl's other macros: {@code .try_include}, {@code .priority N} (the priority of the keys after it),
 *       {@code .load(key=...) "file"} (a file's text as a value, see {@link UclLoad}), {@code .inherit "section"}
 *       (copy a top-level section's keys this one lacks), and Rspamd's {@code .include_map} of a file.</li>
 * </ul>
 * Every error is a {@link ConfigException} naming file, line and column. A parser holds the state of one parse:
 * use one per thread.
 */
public final class UclParser {
    private static final int MAX_INCLUDE_DEPTH = 16;
    private static final int MAX_NESTING = 128;

    private static final List<String> MACROS =
            List.of("include", "try_include", "includes", "priority", "load", "inherit", "include_map");

    private final Map<String, String> variables;
    private final Consumer<String> warnings;
    private final int includeDepth;
    /** False for text from the network: no macro may read a file of this host. */
    private final boolean macros;

    private UclLexer in;
    private Path baseDir;
    private String fileName;
    private int nesting;
    /** The top-level section of this file (what {@code .inherit} copies from). */
    private UclEntries root;
    /** The top-level key whose value is being parsed (a section may {@code .inherit} from itself: no-op). */
    private String openTopLevelKey;
    /** Set by {@code .priority}: the priority of the keys that follow in this file. */
    private int priority;

    /** @param variables values for {@code $NAME} / {@code ${NAME}} in strings and include paths (e.g. CONFDIR). */
    public UclParser(Map<String, String> variables) {
        this(variables, warning -> { });
    }

    /**
     * @param warnings receives what libucl would accept silently but an admin should hear about (an unknown
     *                 include parameter...), each starting with file:line:column
     */
    public UclParser(Map<String, String> variables, Consumer<String> warnings) {
        this(variables, warnings, 0);
    }

    private UclParser(Map<String, String> variables, Consumer<String> warnings, int includeDepth) {
        this(variables, warnings, includeDepth, true);
    }

    private UclParser(Map<String, String> variables, Consumer<String> warnings, int includeDepth, boolean macros) {
        this.variables = Map.copyOf(variables);
        this.warnings = warnings;
        this.includeDepth = includeDepth;
        this.macros = macros;
    }

    /**
     * A parser for UCL a client sends (an HTTP {@code Settings} header): no variables and no macros, so that no
     * {@code .include} or {@code .load} can read a file of this host.
     */
    public static UclParser untrusted() {
        return new UclParser(Map.of(), warning -> { }, 0, false);
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
        this.fileName = fileName;
        this.root = null;
        this.priority = 0;
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
        if (root == null) {
            root = entries;
        }
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
        String outerKey = openTopLevelKey;
        if (entries == root) {
            openTopLevelKey = key;
        }
        UclValue value;
        if (!explicitSeparator && in.peek() != '{' && in.peek() != '[') {
            value = parseValueOrNamedSection(keyPos);
        } else {
            value = parseValue();
        }
        openTopLevelKey = outerKey;
        entries.add(key, value, priority, Duplicate.APPEND);
        if (!(value instanceof UclObject) && !(value instanceof UclArray)) {
            endOfValue(); // as libucl: a closing '}' or ']' separates by itself ("a { } b { }" on one line)
        }
    }

    /**
     * After {@code key} without '=': either a value ({@code key value;}) or one or more section names followed by
     * a brace ({@code worker "normal" { }}, which nests as {@code worker { normal { } }}).
     */
    private UclValue parseValueOrNamedSection(Position keyPos) {
        if (in.atHeredoc()) {
            return parseScalar();
        }
        if (!in.lineOpensSection() && !nameThenBraceOnNextLine()) {
            return parseScalar(); // libucl's "key value;": the value runs to the end of the line
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

    /** {@code section "name"}, a new line, then '{' (libucl wants the brace on the line; we also take this). */
    private boolean nameThenBraceOnNextLine() {
        UclLexer.Mark mark = in.mark();
        try {
            parseToken();
            in.skipInlineSpace();
            return (in.peek() == '\n' || in.peek() == '\r') && nextSignificantIsBrace();
        } catch (ConfigException notAName) {
            return false;
        } finally {
            in.reset(mark);
        }
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

    /**
     * libucl's macros, written {@code .name(arguments) value} where the arguments are UCL text and the value a
     * string, a word or a {@code { body }}: {@code .include}, {@code .try_include}, {@code .priority},
     * {@code .load}, {@code .inherit}, and Rspamd's {@code .include_map}. {@code .includes} (signed) is refused.
     */
    private void parseMacro(UclEntries entries) {
        Position at = in.here();
        if (!macros) {
            throw new ConfigException(at, "macros are not allowed here");
        }
        in.advance(); // '.'
        StringBuilder nameBuilder = new StringBuilder();
        while (!in.atEnd() && (Character.isLetterOrDigit(in.peek()) || in.peek() == '_')) {
            nameBuilder.append(in.advance());
        }
        String name = nameBuilder.toString();
        if (!MACROS.contains(name)) {
            throw new ConfigException(at, "unknown macro '." + name + "' (libucl's macros: "
                    + String.join(", ", MACROS.stream().map(m -> "." + m).toList()) + ")");
        }
        in.skipInlineSpace();
        UclObject args = in.peek() == '(' ? parseMacroArguments() : UclObject.empty(in.here());
        in.skipInlineSpace();
        Position valueAt = in.here();
        String value = expand(readMacroValue(name));
        endOfValue();
        String macro = "." + name;
        switch (name) {
            case "include", "try_include", "include_map" -> {
                IncludeParams params = IncludeParams.parse(macro, args,
                        IncludeParams.defaults(!name.equals("include")), warnings);
                if (name.equals("include_map") && value.contains("://") && !value.startsWith("file://")) {
                    warnings.accept(valueAt + ": .include_map of " + value + " ignored (only files are read)");
                    return;
                }
                requireValue(value, macro, valueAt);
                include(entries, value.startsWith("file://") ? value.substring(7) : value, valueAt, params);
            }
            case "includes" -> throw new ConfigException(at, ".includes (a signed include) is not supported:"
                    + " mailsift cannot check the .sig file; use .include");
            case "priority" -> priority = value.isEmpty()
                    ? IncludeParams.priority(args.getScalar("priority").orElseThrow(
                            () -> new ConfigException(at, ".priority needs a value: .priority 5")))
                    : IncludeParams.priority(new UclScalar(UclAtoms.interpret(value), valueAt));
            case "load" -> {
                requireValue(value, macro, valueAt);
                UclLoad.load(args, resolve(value), valueAt, warnings).ifPresent(loaded -> {
                    if (entries.has(loaded.key())) {
                        throw new ConfigException(at, ".load: the key '" + loaded.key() + "' already exists");
                    }
                    entries.add(loaded.key(), loaded.value(), loaded.priority(), Duplicate.APPEND);
                });
            }
            case "inherit" -> inherit(entries, value, args, at);
            default -> throw new IllegalStateException(name);
        }
    }

    private static void requireValue(String value, String macro, Position at) {
        if (value.isEmpty()) {
            throw new ConfigException(at, "expected a path after " + macro);
        }
    }

    /** The arguments between parentheses, parsed as UCL on their own (as libucl does), with their positions. */
    private UclObject parseMacroArguments() {
        UclLexer.Piece piece = in.readParenthesized();
        UclLexer outer = in;
        int outerNesting = nesting;
        in = new UclLexer(piece.text(), outer.here().file(), piece.line(), piece.column());
        try {
            return parseEntries(new Position(outer.here().file(), piece.line(), piece.column()), (char) 0);
        } finally {
            in = outer;
            nesting = outerNesting;
        }
    }

    /** A macro's value: a "string", a 'string', a { body } or a word; empty when the line ends. */
    private String readMacroValue(String macro) {
        char c = in.peek();
        if (c == '"') {
            return in.readDoubleQuoted();
        }
        if (c == '\'') {
            return in.readSingleQuoted();
        }
        if (c == '{') {
            return in.readBraceBody();
        }
        if (in.atEnd() || !UclLexer.isAtomChar(c)) {
            return "";
        }
        return in.readAtom();
    }

    /** {@code .inherit "name"}: copies the keys of the top-level section {@code name} that this section lacks. */
    private void inherit(UclEntries entries, String name, UclObject args, Position at) {
        if (name.equals(openTopLevelKey) && !root.has(name)) {
            return; // inside the section it names: libucl finds the section itself, which adds nothing
        }
        UclValue parent = root.first(name)
                .orElseThrow(() -> new ConfigException(at, ".inherit: no top-level section '" + name + "' to inherit"));
        if (!(parent instanceof UclObject section)) {
            throw new ConfigException(at, ".inherit: '" + name + "' is not a section { }");
        }
        boolean replace = args.getBoolean("replace", false);
        for (Map.Entry<String, List<UclValue>> e : section.entries().entrySet()) {
            entries.inherit(e.getKey(), e.getValue(), replace);
        }
    }

    private Path resolve(String rawPath) {
        Path path = Path.of(rawPath);
        return path.isAbsolute() || baseDir == null ? path : baseDir.resolve(path);
    }

    private void include(UclEntries entries, String rawPath, Position at, IncludeParams params) {
        if (includeDepth >= MAX_INCLUDE_DEPTH) {
            throw new ConfigException(at, "includes nested more than " + MAX_INCLUDE_DEPTH + " deep (an include loop?)");
        }
        List<Path> files = new ArrayList<>();
        Path path = resolve(rawPath);
        if (!Path.of(rawPath).isAbsolute() && !params.searchPath().isEmpty()) {
            for (String dir : params.searchPath()) {
                files.addAll(IncludeFiles.resolve(Path.of(expand(dir)).resolve(rawPath)));
                if (!files.isEmpty()) {
                    break;
                }
            }
        } else {
            files.addAll(IncludeFiles.resolve(path));
        }
        if (files.isEmpty()) {
            if (params.optional()) {
                return;
            }
            throw new ConfigException(at, "included file not found: " + path);
        }
        for (Path f : files) {
            UclObject included = new UclParser(variables, warnings, includeDepth + 1).parseFile(f);
            String key = params.keyFor(f);
            if (key != null) {
                entries.addUnderKey(key, included, params, at);
                continue;
            }
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
            UclValue item = parseValue();
            items.add(item);
            in.skipSpace();
            // libucl takes the '}' or ']' that closes an item as its separator: [ { a = 1 } { b = 2 } ]
            boolean closedByBrace = item instanceof UclObject || item instanceof UclArray;
            if (!in.atEnd() && !closedByBrace && in.peek() != ',' && in.peek() != ';' && in.peek() != ']') {
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
        if (in.atHeredoc()) {
            return new UclScalar(expand(in.readHeredoc()), at);
        }
        if (!UclLexer.isAtomChar(c)) {
            throw in.error("expected a value, found '" + UclLexer.printable(c) + "'");
        }
        return new UclScalar(UclAtoms.interpret(expand(in.readUnquoted())), at);
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

    /**
     * Replaces {@code $NAME} and {@code ${NAME}} for known variables (and libucl's per-file {@code CURDIR} and
     * {@code FILENAME}); unknown ones stay as written, as in libucl; {@code $$} is one literal dollar.
     */
    private String expand(String s) {
        if (s.indexOf('$') < 0) {
            return s.replace(UclLexer.ESCAPED_DOLLAR, '$');
        }
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == UclLexer.ESCAPED_DOLLAR) {
                sb.append('$'); // an escaped dollar is literal
                i++;
                continue;
            }
            if (c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '$') {
                sb.append('$');
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
                String value = closed ? variable(name) : null;
                if (value != null) {
                    sb.append(value);
                    i = braced ? j + 1 : j;
                    continue;
                }
            }
            sb.append(c);
            i++;
        }
        return sb.toString();
    }

    private String variable(String name) {
        String value = variables.get(name);
        if (value != null || baseDir == null) {
            return value;
        }
        return switch (name) {
            case "CURDIR" -> baseDir.toString();
            case "FILENAME" -> fileName;
            default -> null;
        };
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

}

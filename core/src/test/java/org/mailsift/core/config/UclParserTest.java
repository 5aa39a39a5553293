package org.mailsift.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UclParserTest {
    @TempDir
    Path dir;

    private static UclObject parse(String text) {
        return new UclParser(Map.of("CONFDIR", "/etc/mailsift")).parse(text, "test.conf", null);
    }

    private static Object value(UclObject o, String key) {
        return o.getScalar(key).orElseThrow().value();
    }

    private static void assertError(String text, String expectedStart) {
        assertThatThrownBy(() -> parse(text)).isInstanceOf(ConfigException.class).hasMessageStartingWith(expectedStart);
    }

    @Test
    void acceptsTheThreeWaysRspamdAdminsWriteAKey() {
        UclObject o = parse("""
                reject = 15;
                add_header: 6
                greylist 4;
                """);
        assertThat(o.getDouble("reject", 0)).isEqualTo(15);
        assertThat(o.getLong("add_header", 0)).isEqualTo(6);
        assertThat(o.getLong("greylist", 0)).isEqualTo(4);
        assertThat(o.keys()).containsExactly("reject", "add_header", "greylist");
    }

    @Test
    void aNewLineEndsAValueAndSeparatorsMayRepeat() {
        UclObject o = parse("a = 1\nb = 2;;\nc = 3,\n;d = 4");
        assertThat(o.keys()).containsExactly("a", "b", "c", "d");
        assertThat(value(o, "d")).isEqualTo(4L);
    }

    @Test
    void windowsLineEndingsAndAByteOrderMarkAreFine() {
        UclObject o = parse("\uFEFFa = 1\r\nsection {\r\n  b = \"x\";\r\n}\r\n");
        assertThat(value(o, "a")).isEqualTo(1L);
        assertThat(o.getObject("section").orElseThrow().getString("b", null)).isEqualTo("x");
    }

    @Test
    void sectionsNestAndKeepPositions() {
        UclObject o = parse("""
                # comment
                outer {
                    inner {
                        deep = yes;
                    }
                }
                """);
        UclObject inner = o.getObject("outer").orElseThrow().getObject("inner").orElseThrow();
        assertThat(inner.getBoolean("deep", false)).isTrue();
        assertThat(o.get("outer").orElseThrow().position()).isEqualTo(new Position("test.conf", 2, 7));
        assertThat(inner.get("deep").orElseThrow().position()).isEqualTo(new Position("test.conf", 4, 16));
    }

    @Test
    void aSectionMayAlsoBeWrittenWithEquals() {
        UclObject o = parse("section = { a = 1; }\nother: { b = 2 }");
        assertThat(o.getObject("section").orElseThrow().getLong("a", 0)).isEqualTo(1);
        assertThat(o.getObject("other").orElseThrow().getLong("b", 0)).isEqualTo(2);
    }

    @Test
    void namedSectionsNestUnderTheirName() {
        UclObject o = parse("""
                worker "normal" {
                    bind_socket = "127.0.0.1:11333";
                }
                worker "controller" { bind_socket = "127.0.0.1:11334"; }
                group headers
                {
                    max_score = 8;
                }
                """);
        Map<String, UclObject> workers = o.getNamedSections("worker");
        assertThat(workers).containsOnlyKeys("normal", "controller");
        assertThat(workers.get("controller").getString("bind_socket", null)).isEqualTo("127.0.0.1:11334");
        assertThat(o.getNamedSections("group").get("headers").getDouble("max_score", 0)).isEqualTo(8);
    }

    @Test
    void severalNamesNestInOrder() {
        UclObject o = parse("rule \"a\" \"b\" { x = 1; }");
        UclObject b = o.getObject("rule").orElseThrow().getObject("a").orElseThrow().getObject("b").orElseThrow();
        assertThat(b.getLong("x", 0)).isEqualTo(1);
    }

    @Test
    void aRepeatedKeyKeepsEveryValueAndTheLastWins() {
        UclObject o = parse("""
                secure_ip = "127.0.0.1";
                secure_ip = "::1";
                """);
        assertThat(o.getString("secure_ip", null)).isEqualTo("::1");
        assertThat(o.getStringList("secure_ip")).containsExactly("127.0.0.1", "::1");
    }

    @Test
    void arraysAllowTrailingCommasNewLinesAndNesting() {
        UclObject o = parse("""
                local_addrs = [
                    "192.168.0.0/16",
                    10.0.0.0/8, # unquoted
                    [1, 2,],
                    { a = 1 },
                ];
                empty = [];
                """);
        List<UclValue> items = o.getList("local_addrs");
        assertThat(items).hasSize(4);
        assertThat(((UclScalar) items.get(1)).value()).isEqualTo("10.0.0.0/8");
        assertThat(((UclArray) items.get(2)).items()).hasSize(2);
        assertThat(((UclObject) items.get(3)).getLong("a", 0)).isEqualTo(1);
        assertThat(o.getList("empty")).isEmpty();
    }

    @Test
    void commentsIncludingNestedBlockCommentsAreSkipped() {
        UclObject o = parse("""
                a = 1; # trailing
                /* block /* nested */ still comment */
                b = 2; /* after */
                url = http://example.com/path;
                """);
        assertThat(o.keys()).containsExactly("a", "b", "url");
        assertThat(o.getString("url", null)).isEqualTo("http://example.com/path");
    }

    @Test
    void doubleQuotedStringsUnderstandEscapes() {
        UclObject o = parse("s = \"tab\\there \\\"q\\\" \\u00e9 back\\\\slash\";");
        assertThat(o.getString("s", null)).isEqualTo("tab\there \"q\" \u00e9 back\\slash");
    }

    @Test
    void singleQuotedStringsAreLiteral() {
        UclObject o = parse("s = 'C:\\dir \\'x\\' $CONFDIR';");
        assertThat(o.getString("s", null)).isEqualTo("C:\\dir 'x' $CONFDIR");
    }

    @Test
    void heredocsKeepTheirLines() {
        UclObject o = parse("""
                script = <<EOD
                line one
                  line two
                EOD;
                after = 1;
                """);
        assertThat(o.getString("script", null)).isEqualTo("line one\n  line two");
        assertThat(value(o, "after")).isEqualTo(1L);
    }

    @Test
    void numbersTakeUclTimeSuffixesAsSeconds() {
        UclObject o = parse("a = 10s; b = 5min; c = 1d; d = 1h; e = 500ms; f = 2w; g = 1.5min; h = 120;");
        assertThat(value(o, "a")).isEqualTo(10.0);
        assertThat(value(o, "b")).isEqualTo(300.0);
        assertThat(value(o, "c")).isEqualTo(86400.0);
        assertThat(value(o, "d")).isEqualTo(3600.0);
        assertThat(value(o, "e")).isEqualTo(0.5);
        assertThat(value(o, "f")).isEqualTo(1209600.0);
        assertThat(value(o, "g")).isEqualTo(90.0);
        assertThat(o.getMillis("e", 0)).isEqualTo(500);
        assertThat(o.getMillis("h", 0)).isEqualTo(120_000);
    }

    @Test
    void numbersTakeUclSizeSuffixesAsBytes() {
        UclObject o = parse("a = 10k; b = 10kb; c = 1m; d = 1mb; e = 2g; f = 1Gb; g = 0.5k;");
        assertThat(value(o, "a")).isEqualTo(10_000L);
        assertThat(value(o, "b")).isEqualTo(10_240L);
        assertThat(value(o, "c")).isEqualTo(1_000_000L);
        assertThat(value(o, "d")).isEqualTo(1_048_576L);
        assertThat(value(o, "e")).isEqualTo(2_000_000_000L);
        assertThat(value(o, "f")).isEqualTo(1_073_741_824L);
        assertThat(value(o, "g")).isEqualTo(500L);
    }

    @Test
    void plainNumbersWordsAndLiterals() {
        UclObject o = parse("""
                i = -3; d = 0.25; x = 0x1F; exp = 1e3;
                y = yes; n = no; t = true; f = FALSE; on = on; off = off;
                nothing = null; word = 3rd; quoted = "15";
                """);
        assertThat(value(o, "i")).isEqualTo(-3L);
        assertThat(value(o, "d")).isEqualTo(0.25);
        assertThat(value(o, "x")).isEqualTo(31L);
        assertThat(value(o, "exp")).isEqualTo(1000.0);
        assertThat(List.of(value(o, "y"), value(o, "t"), value(o, "on"))).containsOnly(true);
        assertThat(List.of(value(o, "n"), value(o, "f"), value(o, "off"))).containsOnly(false);
        assertThat(o.getScalar("nothing").orElseThrow().isNull()).isTrue();
        assertThat(value(o, "word")).isEqualTo("3rd");
        assertThat(value(o, "quoted")).isEqualTo("15");
    }

    @Test
    void knownVariablesAreExpandedInStrings() {
        UclObject o = parse("a = \"$CONFDIR/x\"; b = \"${CONFDIR}/y\"; e = $CONFDIR/w; c = \"$UNKNOWN/z\"; d = \"\\$CONFDIR\";");
        assertThat(o.getString("a", null)).isEqualTo("/etc/mailsift/x");
        assertThat(o.getString("b", null)).isEqualTo("/etc/mailsift/y");
        assertThat(o.getString("c", null)).isEqualTo("$UNKNOWN/z");
        assertThat(o.getString("d", null)).isEqualTo("$CONFDIR");
        assertThat(o.getString("e", null)).isEqualTo("/etc/mailsift/w");
    }

    @Test
    void aFileMayBeWrappedInBraces() {
        UclObject o = parse("{ \"a\": 1, \"b\": [true, null] }");
        assertThat(value(o, "a")).isEqualTo(1L);
        assertThat(o.getList("b")).hasSize(2);
    }

    // ------------------------------------------------------------------------------------------- includes

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private UclObject parseFile(Path p) {
        return new UclParser(Map.of("CONFDIR", dir.toString())).parseFile(p);
    }

    @Test
    void includeInsertsAFileRelativeToTheIncludingOne() throws IOException {
        write("sub/part.conf", "b = 2;\n");
        Path main = write("main.conf", "a = 1;\n.include \"sub/part.conf\"\nc = 3;\n");
        UclObject o = parseFile(main);
        assertThat(o.keys()).containsExactly("a", "b", "c");
    }

    @Test
    void includeInsideASectionFillsThatSection() throws IOException {
        write("inner.conf", "x = 1;\n");
        Path main = write("main.conf", "section {\n  .include \"$CONFDIR/inner.conf\"\n  y = 2;\n}\n");
        UclObject section = parseFile(main).getObject("section").orElseThrow();
        assertThat(section.keys()).containsExactly("x", "y");
    }

    @Test
    void aHigherPriorityIncludeReplacesAndALowerOneDoesNot() throws IOException {
        write("high.conf", "reject = 20;\n");
        write("low.conf", "add_header = 1;\nnew_key = 5;\n");
        Path main = write("main.conf", """
                reject = 15;
                add_header = 6;
                .include(priority=1) "high.conf"
                """);
        Path main2 = write("main2.conf", """
                .include(priority=2) "high.conf"
                .include(priority=1) "low.conf"
                add_header = 6;
                """);
        UclObject o = parseFile(main);
        assertThat(o.getAll("reject")).hasSize(1);
        assertThat(o.getLong("reject", 0)).isEqualTo(20);
        UclObject o2 = parseFile(main2);
        assertThat(o2.getLong("reject", 0)).isEqualTo(20);
        assertThat(o2.getLong("new_key", 0)).isEqualTo(5);
        // the main file writes at priority 0, below the include's 1: the included value stays
        assertThat(o2.getLong("add_header", 0)).isEqualTo(1);
    }

    @Test
    void duplicateMergeMergesSectionsRecursively() throws IOException {
        write("local.conf", "group \"headers\" { max_score = 5; }\nreject = 20;\n");
        Path main = write("main.conf", """
                group "headers" { max_score = 8; symbols { MISSING_DATE { weight = 1.0; } } }
                reject = 15;
                .include(try=true, priority=1, duplicate=merge) "local.conf"
                """);
        UclObject o = parseFile(main);
        UclObject headers = o.getNamedSections("group").get("headers");
        assertThat(headers.getDouble("max_score", 0)).isEqualTo(5);
        assertThat(headers.getObject("symbols").orElseThrow().has("MISSING_DATE")).isTrue();
        assertThat(o.getAll("reject")).hasSize(1);
        assertThat(o.getLong("reject", 0)).isEqualTo(20);
    }

    @Test
    void duplicateAppendKeepsBothAndRewriteReplaces() throws IOException {
        write("more.conf", "secure_ip = \"10.0.0.1\";\n");
        Path append = write("append.conf", "secure_ip = \"127.0.0.1\";\n.include \"more.conf\"\n");
        Path rewrite = write("rewrite.conf", "secure_ip = \"127.0.0.1\";\n.include(duplicate=rewrite) \"more.conf\"\n");
        assertThat(parseFile(append).getStringList("secure_ip")).containsExactly("127.0.0.1", "10.0.0.1");
        assertThat(parseFile(rewrite).getStringList("secure_ip")).containsExactly("10.0.0.1");
    }

    @Test
    void duplicateErrorNamesTheIncludeAndTheFirstDefinition() throws IOException {
        write("dup.conf", "reject = 20;\n");
        Path main = write("main.conf", "reject = 15;\n.include(duplicate=error) \"dup.conf\"\n");
        assertThatThrownBy(() -> parseFile(main)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(main + ":2:27: duplicate key 'reject' (already set at " + main + ":1:10)");
    }

    @Test
    void aMissingIncludeIsAnErrorUnlessTried() throws IOException {
        Path tried = write("tried.conf", ".include(try=true) \"$CONFDIR/local.d/none.conf\"\na = 1;\n");
        assertThat(parseFile(tried).keys()).containsExactly("a");
        Path strict = write("strict.conf", "a = 1;\n  .include \"none.conf\"\n");
        assertThatThrownBy(() -> parseFile(strict)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(strict + ":2:12: included file not found: " + dir.resolve("none.conf"));
    }

    @Test
    void aPatternIncludesMatchingFilesInNameOrder() throws IOException {
        write("scores.d/b_group.conf", "group \"b\" { max_score = 2; }\n");
        write("scores.d/a_group.conf", "group \"a\" { max_score = 1; }\n");
        write("scores.d/README", "not ucl at all {{{\n");
        Path main = write("groups.conf", ".include(try=true,duplicate=merge) \"$CONFDIR/scores.d/*.conf\"\n");
        Map<String, UclObject> groups = parseFile(main).getNamedSections("group");
        assertThat(groups.keySet()).containsExactly("a", "b");
    }

    @Test
    void anErrorInAnIncludedFileNamesThatFile() throws IOException {
        Path broken = write("broken.conf", "ok = 1;\nbad = \"unterminated\n");
        Path main = write("main.conf", ".include \"broken.conf\"\n");
        assertThatThrownBy(() -> parseFile(main)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(broken + ":2:7: unterminated string");
    }

    @Test
    void anIncludeLoopIsReportedNotFollowedForever() throws IOException {
        Path loop = write("loop.conf", ".include \"loop.conf\"\n");
        assertThatThrownBy(() -> parseFile(loop)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("includes nested more than 16 deep");
    }

    @Test
    void badIncludeParameterValuesAndUnknownMacrosAreErrors() throws IOException {
        write("x.conf", "a = 1;\n");
        assertThatThrownBy(() -> parseFile(write("d.conf", ".include(duplicate=sometimes) \"x.conf\"\n")))
                .hasMessageContaining("d.conf:1:20: duplicate must be append, merge, rewrite or error");
        assertThatThrownBy(() -> parseFile(write("p.conf", ".include(priority=16) \"x.conf\"\n")))
                .hasMessageContaining("p.conf:1:19: priority must be between 0 and 15");
        assertError(".frobnicate \"x\"\n", "test.conf:1:1: unknown macro '.frobnicate'");
    }

    // --------------------------------------------------------------------------------------------- errors

    @Test
    void errorsNameFileLineAndColumn() {
        assertError("a = 1;\nb = \"open\n", "test.conf:2:5: unterminated string");
        assertError("section {\n  a = 1;\n", "test.conf:3:1: missing '}' to close the section opened at 1:9");
        assertError("a = 1;\n}\n", "test.conf:2:1: unexpected '}'");
        assertError("a = \"1\" 2;\n", "test.conf:1:9: expected ';' or a new line after the value, found '2'");
        assertError("a =\n", "test.conf:2:1: missing value for 'a'");
        assertError("a = [1, 2\n", "test.conf:2:1: missing ']' to close the array opened at 1:5");
        assertError("a = [\"1\" 2]\n", "test.conf:1:10: expected ',' or ']' in the array opened at 1:5");
        assertError("s = \"bad \\u12g4 escape\";", "test.conf:1:10: \\u needs four hex digits");
        assertError("a = 1; /* never closed\n", "test.conf:1:8: unterminated comment");
        assertError("= 5;\n", "test.conf:1:1: expected a key, found '='");
        assertError("h = <<EOD\nx\n", "test.conf:1:5: unterminated heredoc");
        assertError("{ a = 1 } b = 2", "test.conf:1:11: unexpected 'b' after the closing '}'");
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        assertThatThrownBy(() -> parse("a = " + "[".repeat(10_000)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("nested more than 128 deep");
    }

    @Test
    void anUnreadableFileIsAConfigError() {
        assertThatThrownBy(() -> parseFile(dir.resolve("absent.conf"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("absent.conf:0:0: cannot read");
    }

    @Test
    void invalidUtf8IsAConfigError() throws IOException {
        Path p = dir.resolve("latin1.conf");
        Files.write(p, new byte[] {'a', ' ', '=', ' ', '"', (byte) 0xE9, '"', '\n'});
        assertThatThrownBy(() -> parseFile(p)).isInstanceOf(ConfigException.class).hasMessageContaining("not valid UTF-8");
    }

    @Test
    void writtenUclReadsBackToTheSameValue() {
        UclObject o = parse("""
                reject = 15; timeout = 120s; subject = "*** SPAM *** %s $CONFDIR";
                rewrite_subject = null; flag = yes;
                worker "normal" { bind_socket = "127.0.0.1:11333"; bind_socket = "[::1]:11333"; }
                list = [1, "two", { three = 3 }, []];
                "odd key" = "quote \\" and\\nnewline";
                """);
        String written = UclWriter.write(o);
        UclObject back = parse(written);
        // positions differ (the layout changed); the written form of the re-read value is the same text
        assertThat(UclWriter.write(back)).isEqualTo(written);
        assertThat(back.getString("subject", null)).isEqualTo("*** SPAM *** %s /etc/mailsift");
        assertThat(back.getMillis("timeout", 0)).isEqualTo(120_000);
        assertThat(back.getScalar("rewrite_subject").orElseThrow().isNull()).isTrue();
        assertThat(back.getNamedSections("worker").get("normal").getStringList("bind_socket"))
                .containsExactly("127.0.0.1:11333", "[::1]:11333");
        assertThat(back.getString("odd key", null)).isEqualTo("quote \" and\nnewline");
    }
}

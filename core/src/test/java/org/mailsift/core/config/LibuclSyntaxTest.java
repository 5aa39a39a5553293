package org.mailsift.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What libucl accepts and Rspamd's stock files and documentation use, one small fixture per feature. */
class LibuclSyntaxTest {
    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();

    private UclParser parser() {
        return new UclParser(Map.of("CONFDIR", dir.toString(), "DBDIR", "/var/lib/mailsift"), warnings::add);
    }

    private UclObject parse(String text) {
        return parser().parse(text, "test.conf", dir);
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private UclObject parseFile(Path p) {
        return parser().parseFile(p);
    }

    // ------------------------------------------------------------------------------------------ separators

    @Test
    void sectionsAndArrayItemsClosedByABraceNeedNoSeparatorOnOneLine() {
        // libucl's ucl_parse_after_value counts a closing } or ] as the separator
        UclObject o = parse("A { x = 1 } B { } rules { C { re = \"c\"; } D { re = \"d\"; } }\n"
                + "list = [ { a = 1 } { b = 2 } [ 3 ] [ 4 ] ];\n");
        assertThat(o.keys()).containsExactly("A", "B", "rules", "list");
        assertThat(o.getObject("rules").orElseThrow().keys()).containsExactly("C", "D");
        assertThat(o.getList("list")).hasSize(4);
        assertThatThrownBy(() -> parse("list = [ \"a\" \"b\" ];\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("expected ','"); // two strings still need one, as libucl's 'delimiter is missing'
    }

    // ------------------------------------------------------------------------------------------ strings

    @Test
    void aRegexpPastedFromExternalServicesConfKeepsItsCharactersAsLibuclDoes() {
        // modules.d/external_services.conf of Rspamd 3.4: libucl drops the backslash of an unknown escape
        UclObject o = parse("DOC3 = \"application\\/vnd\\.ms-word.*\";\nre = \"a\\d+\\sb\";\n");
        assertThat(o.getString("DOC3", null)).isEqualTo("application/vnd.ms-word.*");
        assertThat(o.getString("re", null)).isEqualTo("ad+sb");
    }

    @Test
    void singleQuotedStringsKeepBackslashPairsAndJoinLinesOnATrailingBackslash() {
        UclObject o = parse("f = 'tld:regexp:/\\.[^.]+$/';\nd = '\\\naaa';\nq = 'it\\'s';\nb = '\\\\';\n");
        assertThat(o.getString("f", null)).isEqualTo("tld:regexp:/\\.[^.]+$/");
        assertThat(o.getString("d", null)).isEqualTo("aaa");
        assertThat(o.getString("q", null)).isEqualTo("it's");
        assertThat(o.getString("b", null)).isEqualTo("\\\\");
    }

    @Test
    void anUnquotedValueRunsToTheEndOfTheLineAsInLibucl() {
        UclObject o = parse("""
                subject = *** SPAM *** %s;
                greeting hello world   # a comment
                bind_socket = ${CONFDIR}:11333
                list = [a b, c]
                ten = 10 apples
                """);
        assertThat(o.getString("subject", null)).isEqualTo("*** SPAM *** %s");
        assertThat(o.getString("greeting", null)).isEqualTo("hello world");
        assertThat(o.getString("bind_socket", null)).isEqualTo(dir + ":11333");
        assertThat(o.getStringList("list")).containsExactly("a b", "c");
        assertThat(o.getString("ten", null)).isEqualTo("10 apples");
    }

    @Test
    void aClosingBraceOrBracketSeparatesByItself() {
        UclObject o = parse("r { header { X = 1 } apply { a = [1, 2] b = 3 } }\n");
        UclObject r = o.getObject("r").orElseThrow();
        assertThat(r.keys()).containsExactly("header", "apply");
        assertThat(r.getObject("apply").orElseThrow().keys()).containsExactly("a", "b");
    }

    @Test
    void heredocsNeedTheirMarkerAloneOrFollowedBySemicolon() {
        UclObject o = parse("""
                log_format =<<EOD
                id: <$mid>,$if_qid{ qid: <$>,}
                 EOD
                EOD  \s
                EOD;
                normal = <<EODnot
                """);
        assertThat(o.getString("log_format", null)).isEqualTo("id: <$mid>,$if_qid{ qid: <$>,}\n EOD\nEOD   ");
        assertThat(o.getString("normal", null)).isEqualTo("<<EODnot");
    }

    @Test
    void commentsNestAndHashesEndAValue() {
        UclObject o = parse("""
                /* outer /* inner */ still a comment */
                a = 1 # trailing
                b = x/*c*/;
                url = http://example.com/p;
                """);
        assertThat(o.keys()).containsExactly("a", "b", "url");
        assertThat(o.getString("b", null)).isEqualTo("x");
    }

    @Test
    void multipliersFollowLibucl() {
        UclObject o = parse("a = 10k; b = 10kb; c = 5min; d = 1d; e = 100ms; f = 2w; g = 1m; h = 1.5h;\n");
        assertThat(o.getLong("a", 0)).isEqualTo(10_000);
        assertThat(o.getLong("b", 0)).isEqualTo(10_240);
        assertThat(o.getMillis("c", 0)).isEqualTo(300_000);
        assertThat(o.getMillis("d", 0)).isEqualTo(86_400_000);
        assertThat(o.getMillis("e", 0)).isEqualTo(100);
        assertThat(o.getMillis("f", 0)).isEqualTo(14 * 86_400_000L);
        assertThat(o.getLong("g", 0)).isEqualTo(1_000_000);
        assertThat(o.getMillis("h", 0)).isEqualTo(5_400_000);
    }

    @Test
    void variablesOfRspamdAndLibuclAreExpandedAndDoubleDollarIsOneDollar() throws IOException {
        Path f = write("sub/vars.conf", """
                a = "${DBDIR}/bayes.sqlite";
                b = "$CURDIR/x";
                c = "$FILENAME";
                d = "cost: $$5";
                e = "$UNKNOWN/y";
                """);
        UclObject o = parseFile(f);
        assertThat(o.getString("a", null)).isEqualTo("/var/lib/mailsift/bayes.sqlite");
        assertThat(o.getString("b", null)).isEqualTo(dir.resolve("sub") + "/x");
        assertThat(o.getString("c", null)).isEqualTo(f.toString());
        assertThat(o.getString("d", null)).isEqualTo("cost: $5");
        assertThat(o.getString("e", null)).isEqualTo("$UNKNOWN/y");
    }

    /** As rspamadm configdump of Rspamd 3.4 shows: an escaped backslash before '$' is a backslash, '\$' alone a dollar. */
    @Test
    void anEscapedBackslashBeforeADollarStaysABackslashAsInARegexp() throws IOException {
        Path f = write("regexp.conf", """
                money = "Subject=/\\\\$\\\\d{2,}/i";
                signs = "/\\\\$\\\\$\\\\$/";
                price = "\\$5";
                dir = "\\\\${DBDIR}";
                "key\\$" = 1;
                """);
        UclObject o = parseFile(f);
        assertThat(o.getString("money", null)).isEqualTo("Subject=/\\$\\d{2,}/i");
        assertThat(o.getString("signs", null)).isEqualTo("/\\$\\$\\$/");
        assertThat(o.getString("price", null)).isEqualTo("$5");
        assertThat(o.getString("dir", null)).isEqualTo("\\/var/lib/mailsift");
        assertThat(o.keys()).contains("key$");
    }

    // ------------------------------------------------------------------------------------------ .include

    @Test
    void modulesConfGlobIncludeReadsEveryModuleFile() throws IOException {
        write("modules.d/a.conf", "a { enabled = true; }\n");
        write("modules.d/b.conf", "b { enabled = false; }\n");
        Path modules = write("modules.conf", ".include(glob=true) \"${CONFDIR}/modules.d/*.conf\"\n");
        assertThat(parseFile(modules).keys()).containsExactly("a", "b");
        assertThat(warnings).isEmpty();
    }

    @Test
    void parametersMaySeparateWithSemicolonsOrCommasAndSpanLines() throws IOException {
        write("local.d/x.conf", "k = 2;\n");
        Path main = write("main.conf", """
                k = 1;
                .include(try=true; priority=1,
                         duplicate=merge) "$CONFDIR/local.d/x.conf"
                """);
        assertThat(parseFile(main).getLong("k", 0)).isEqualTo(2);
    }

    @Test
    void anUnknownIncludeParameterIsAWarningNamingItsPlace() throws IOException {
        write("x.conf", "a = 1;\n");
        Path main = write("main.conf", ".include(try=true, colour=blue) \"x.conf\"\n");
        assertThat(parseFile(main).keys()).containsExactly("a");
        assertThat(warnings).singleElement().asString()
                .startsWith(main + ":1:27: unknown .include parameter 'colour' (ignored");
    }

    @Test
    void tryIncludeIsAnIncludeThatMayBeMissing() throws IOException {
        Path main = write("main.conf", ".try_include \"absent.conf\"\na = 1;\n");
        assertThat(parseFile(main).keys()).containsExactly("a");
    }

    @Test
    void aGlobThatMatchesNothingIsAnErrorUnlessTried() throws IOException {
        Path strict = write("strict.conf", ".include(glob=true) \"$CONFDIR/none/*.conf\"\n");
        assertThatThrownBy(() -> parseFile(strict)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(strict + ":1:21: included file not found");
        Path tried = write("tried.conf", ".include(glob=true,try=true) \"$CONFDIR/none/*.conf\"\n");
        assertThat(parseFile(tried).keys()).isEmpty();
    }

    @Test
    void prefixAndKeyPutTheIncludedKeysUnderAKey() throws IOException {
        write("redis.conf", "servers = \"127.0.0.1\";\n");
        write("more.conf", "timeout = 2s;\n");
        Path main = write("main.conf", """
                .include(prefix=true) "redis.conf"
                .include(key="redis") "more.conf"
                .include(key="list", target="array") "more.conf"
                .include(key="list", target="array") "redis.conf"
                """);
        UclObject o = parseFile(main);
        UclObject redis = o.getObject("redis").orElseThrow();
        assertThat(redis.getString("servers", null)).isEqualTo("127.0.0.1");
        assertThat(redis.getMillis("timeout", 0)).isEqualTo(2000);
        assertThat(o.getList("list")).hasSize(2).allMatch(v -> v instanceof UclObject);
    }

    @Test
    void rewriteReplacesWhateverThePriority() throws IOException {
        write("x.conf", "k = 2;\n");
        Path main = write("main.conf", ".priority 5\nk = 1;\n.include(duplicate=rewrite) \"x.conf\"\n");
        assertThat(parseFile(main).getAll("k")).hasSize(1);
        assertThat(parseFile(main).getLong("k", 0)).isEqualTo(2);
    }

    @Test
    void includePathSearchesDirectoriesForARelativeFile() throws IOException {
        write("one/x.conf", "from = one;\n");
        write("two/y.conf", "from = two;\n");
        Path main = write("main.conf", ".include(path=[\"$CONFDIR/one\", \"$CONFDIR/two\"]) \"y.conf\"\n");
        assertThat(parseFile(main).getString("from", null)).isEqualTo("two");
    }

    @Test
    void signedIncludesAreRefusedRatherThanTrustedUnchecked() throws IOException {
        write("x.conf", "a = 1;\n");
        assertThatThrownBy(() -> parseFile(write("s.conf", ".include(sign=true) \"x.conf\"\n")))
                .hasMessageContaining("s.conf:1:15: .include(sign=true): signed includes are not supported");
        assertThatThrownBy(() -> parseFile(write("t.conf", ".includes \"x.conf\"\n")))
                .hasMessageContaining("t.conf:1:1: .includes (a signed include) is not supported");
    }

    // ------------------------------------------------------------------------------------------ other macros

    @Test
    void priorityMakesLaterKeysWinOverEarlierOnes() throws IOException {
        write("x.conf", "k = low;\n");
        Path main = write("main.conf", ".priority 2\nk = high;\n.include(priority=1) \"x.conf\"\n");
        assertThat(parseFile(main).getString("k", null)).isEqualTo("high");
        assertThatThrownBy(() -> parse(".priority lots\n")).hasMessageContaining("test.conf:1:11: expected a number");
    }

    @Test
    void inheritCopiesTheKeysASectionLacks() {
        UclObject o = parse("""
                defaults { key = "val"; foo = "bar"; }
                mything {
                    .inherit "defaults"
                    key = "newval";
                }
                """);
        UclObject mything = o.getObject("mything").orElseThrow();
        assertThat(mything.getAll("key")).hasSize(1);
        assertThat(mything.getString("key", null)).isEqualTo("newval");
        assertThat(mything.getString("foo", null)).isEqualTo("bar");
        assertThatThrownBy(() -> parse("x { .inherit \"nothing\" }\n"))
                .hasMessageContaining("test.conf:1:5: .inherit: no top-level section 'nothing'");
    }

    @Test
    void loadReadsAFileAsAValue() throws IOException {
        write("secret.txt", "  s3cret\n");
        write("count.txt", "42\n");
        Path main = write("main.conf", """
                .load(key="password", trim=true) "secret.txt"
                .load(key="count", target="int") "count.txt"
                .load(key="absent", try=true) "none.txt"
                """);
        UclObject o = parseFile(main);
        assertThat(o.getString("password", null)).isEqualTo("s3cret");
        assertThat(o.getLong("count", 0)).isEqualTo(42);
        assertThat(o.has("absent")).isFalse();
    }

    @Test
    void anUntrustedParserRefusesEveryMacro() throws IOException {
        write("secret.txt", "s3cret\n");
        assertThatThrownBy(() -> UclParser.untrusted().parse(".load(key=\"x\") \"" + dir.resolve("secret.txt") + "\"",
                "header", dir)).isInstanceOf(ConfigException.class).hasMessage("header:1:1: macros are not allowed here");
        assertThatThrownBy(() -> UclParser.untrusted().parse("a { .include \"/etc/hostname\" }", "header", null))
                .hasMessageContaining("macros are not allowed here");
    }

    @Test
    void includeMapOfAFileIncludesIt() throws IOException {
        write("dyn.conf", "a = 1;\n");
        Path main = write("main.conf", ".include_map \"file://$CONFDIR/dyn.conf\"\n.include_map \"https://example.com/x\"\n");
        assertThat(parseFile(main).keys()).containsExactly("a");
        assertThat(warnings).singleElement().asString().contains("only files are read");
    }
}

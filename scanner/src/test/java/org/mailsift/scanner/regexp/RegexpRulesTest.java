package org.mailsift.scanner.regexp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.core.config.ConfigException;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.message.ParseLimits;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.core.scan.SymbolResult;
import org.mailsift.scanner.EngineSettings;
import org.mailsift.scanner.ScanEngine;

/** Regexp rules as Rspamd's regexp module runs them (https://rspamd.com/doc/modules/regexp.html). */
class RegexpRulesTest {
    private static final String MAIL = """
            From: Shop <deals@shop.example>\r
            To: you@example.org\r
            Subject: =?UTF-8?B?Q2hlYXAgVmlhZ3JhIG5vdw==?=\r
            X-Mailer: BulkMailer 5.1\r
            Content-Type: multipart/alternative; boundary="b"\r
            \r
            --b\r
            Content-Type: text/plain\r
            \r
            Buy now at http://pills.example/buy and http://pills.example/more\r
            write to sales@pills.example today\r
            --b\r
            Content-Type: text/html\r
            \r
            <html><body><p>Buy <b>now</b></p></body></html>\r
            --b--\r
            """;

    @TempDir
    Path dir;

    private RegexpSettings settings(String regexpConf) throws IOException {
        Files.writeString(dir.resolve("regexp.conf"), regexpConf);
        return RegexpSettings.from(ConfigDirectory.open(dir));
    }

    private Map<String, Double> scan(String regexpConf) throws IOException {
        return scan(regexpConf, MAIL);
    }

    private Map<String, Double> scan(String regexpConf, String mail) throws IOException {
        ScanEngine engine = new ScanEngine(List.of(new RegexpModule(settings(regexpConf))), EngineSettings.DEFAULTS,
                ParseLimits.DEFAULT, "test");
        ScanResult r = engine.scan(mail.getBytes(), Envelope.EMPTY);
        Map<String, Double> m = new LinkedHashMap<>();
        for (SymbolResult s : r.symbols()) {
            m.put(s.name(), s.score());
        }
        return m;
    }

    @Test
    void aHeaderRegexpMatchesTheDecodedHeader() throws IOException {
        assertThat(scan("rules { VIAGRA { re = \"Subject=/viagra/i\"; score = 3; description = \"pills\"; } }"))
                .containsEntry("VIAGRA", 3.0);
        assertThat(scan("rules { CASE { re = \"Subject=/viagra/\"; score = 3; } }")).doesNotContainKey("CASE");
        // the raw header is still base64: {raw_header} (X) sees that, not the word
        assertThat(scan("RAW { re = \"Subject=/viagra/Xi\"; score = 1; }\nRAW2 { re = \"Subject=/=\\\\?UTF-8\\\\?B/X\"; score = 1; }"))
                .containsOnlyKeys("RAW2");
    }

    @Test
    void eachTypeSeesItsOwnText() throws IOException {
        String conf = """
                MIME { re = "/buy now/i{mime}"; score = 1; }
                MIME_LETTER { re = "/buy now/iP"; score = 1; }
                RAW_MIME { re = "/<b>now<\\\\/b>/{raw_mime}"; score = 1; }
                BODY { re = "/^X-Mailer: BulkMailer/m{body}"; score = 1; }
                ALL_HEADERS { re = "/^X-Mailer:/mR"; score = 1; }
                NOT_IN_HEADERS { re = "/Buy now/{all_header}"; score = 1; }
                URL { re = "/pills\\\\.example\\\\/buy/{url}"; score = 1; }
                EMAIL { re = "/@pills\\\\.example$/{email}"; score = 1; }
                SA_BODY { re = "/^Cheap Viagra/{sa_body}"; score = 1; }
                SA_BODY_JOINS_LINES { re = "/more write to/{sa_body}"; score = 1; }
                SA_RAW { re = "/<p>Buy/{sa_raw_body}"; score = 1; }
                """;
        assertThat(scan(conf)).containsOnlyKeys("MIME", "MIME_LETTER", "RAW_MIME", "BODY", "ALL_HEADERS", "URL",
                "EMAIL", "SA_BODY", "SA_BODY_JOINS_LINES", "SA_RAW");
    }

    @Test
    void rawMimeSeesThePartBeforeTransferDecodingAndMimeAfter() throws IOException {
        // Rspamd's {raw_mime} is the part as sent: "=46REE" in quoted-printable (differential test: re_mime_decoded)
        String mail = "From: a@example.org\r\nSubject: gift\r\nContent-Transfer-Encoding: quoted-printable\r\n"
                + "\r\nGet =46REE money now\r\n";
        String conf = """
                RAW_ENCODED { re = "/=46REE/{raw_mime}"; score = 1; }
                RAW_DECODED { re = "/FREE money/{raw_mime}"; score = 1; }
                MIME_DECODED { re = "/FREE money/{mime}"; score = 1; }
                """;
        assertThat(scan(conf, mail)).containsOnlyKeys("RAW_ENCODED", "MIME_DECODED");
    }

    @Test
    void booleanExpressionsCombineAtoms() throws IOException {
        String conf = """
                rules {
                  BOTH { re = "Subject=/viagra/i & X-Mailer=/bulk/i"; score = 2; }
                  EITHER { re = "Subject=/nothing/ | From=/shop\\\\.example/"; score = 2; }
                  NEITHER { re = "!Subject=/viagra/i"; score = 2; }
                  TWO_OF_THREE { re = "(Subject=/viagra/i + From=/nomatch/ + /pills/{url}) >= 2"; score = 4; }
                  WITH_FUNCTION { re = "header_exists(X-Mailer) and not header_exists(List-Id)"; score = 1; }
                }
                """;
        assertThat(scan(conf)).containsOnly(Map.entry("BOTH", 2.0), Map.entry("EITHER", 2.0),
                Map.entry("TWO_OF_THREE", 4.0), Map.entry("WITH_FUNCTION", 1.0));
    }

    @Test
    void perlFlagsTranslateToRe2() throws IOException {
        // x: whitespace and comments are not part of the pattern; s: dot matches a newline
        assertThat(scan("EXT { re = \"Subject=/v i a g r a  # the word\\n/xi\"; score = 1; }\n"
                + "DOTALL { re = \"/buy.*sales/is{mime}\"; score = 1; }\nNODOTALL { re = \"/buy.*sales/i{mime}\"; score = 1; }"))
                .containsOnlyKeys("EXT", "DOTALL");
    }

    @Test
    void theAFlagCountsEveryMatch() throws IOException {
        // Rspamd inserts the expression's value: two URL matches give twice the weight
        assertThat(scan("URLS { re = \"/pills\\\\.example/A{url}\"; score = 1.5; }")).containsEntry("URLS", 3.0);
    }

    @Test
    void namedAtomsAndRulesCanBeReused() throws IOException {
        String conf = """
                atoms {
                  subject_pills = "Subject=/viagra|cialis/i";
                  bulk_mailer = "X-Mailer=/bulkmailer/i";
                }
                rules {
                  PILLS { re = "subject_pills"; score = 1; }
                  PILLS_IN_BULK { re = "PILLS & bulk_mailer"; score = 5; }
                }
                """;
        assertThat(scan(conf)).containsOnly(Map.entry("PILLS", 1.0), Map.entry("PILLS_IN_BULK", 5.0));
    }

    @Test
    void rspamdsFormsAreAccepted() throws IOException {
        // top-level rules, the string form (score from groups.conf), a "regexp { }" wrapper
        assertThat(settings("regexp {\n  max_size = 1M;\n  A = \"Subject=/x/\";\n  B { regexp = \"/y/{body}\"; }\n}\n")
                .rules()).extracting(RegexpRule::symbol).containsExactly("A", "B");
    }

    @Test
    void aRegexpRe2CannotRunIsAConfigurationError() {
        assertThatThrownBy(() -> settings("rules {\n  BACKREF { re = \"Subject=/(a)\\\\1/\"; }\n}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(dir.resolve("regexp.conf") + ":2:")
                .hasMessageContaining("BACKREF").hasMessageContaining("backreferences are not supported by RE2");
        assertThatThrownBy(() -> settings("LOOK { re = \"/foo(?=bar)/{body}\"; }"))
                .hasMessageContaining("lookahead/lookbehind is not supported by RE2");
    }

    @Test
    void malformedRulesNameTheirPlace() {
        assertThatThrownBy(() -> settings("NO_TYPE { re = \"/x/\"; }")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("has no type");
        assertThatThrownBy(() -> settings("BAD_TYPE { re = \"/x/{stem_words}\"; }")).hasMessageContaining("not supported");
        assertThatThrownBy(() -> settings("OPEN { re = \"Subject=/x\"; }")).hasMessageContaining("no closing '/'");
        assertThatThrownBy(() -> settings("UNKNOWN { re = \"nosuchatom & Subject=/x/\"; }"))
                .hasMessageContaining("unknown atom or rule 'nosuchatom'");
        assertThatThrownBy(() -> settings("rules {\n LOOP_A { re = \"LOOP_B\"; }\n LOOP_B { re = \"LOOP_A | Subject=/x/\"; }\n}"))
                .hasMessageContaining("refers to itself (LOOP_A -> LOOP_B -> LOOP_A)");
        assertThatThrownBy(() -> settings("NO_RE { score = 1; }")).hasMessageContaining("NO_RE has no re");
        assertThatThrownBy(() -> settings("FN { re = \"lua_thing(1)\"; }")).hasMessageContaining("lua_thing() is not supported");
    }

    @Test
    void aCatastrophicPatternRunsInLinearTime() throws Exception {
        // (a+)+$ backtracks exponentially in a backtracking engine on "aaaa...!"; RE2/J answers at once
        String mail = "Subject: " + "a".repeat(5000) + "!\r\n\r\nbody " + "a".repeat(100_000) + "!\r\n";
        CompletableFuture<Map<String, Double>> r = CompletableFuture.supplyAsync(() -> {
            try {
                return scan("EVIL { re = \"Subject=/(a+)+$/ | /(a|aa)+$/{body}\"; score = 1; }", mail);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(r.get(60, TimeUnit.SECONDS)).doesNotContainKey("EVIL");
    }

    @Test
    void aWordsRegexpMatchesEachNormalizedWordOnItsOwn() throws IOException {
        // {words}: each word of the text parts and the Subject, lower-cased, URLs not split into words
        String conf = """
                WHOLE_WORD { re = "/^viagra$/{words}"; score = 1; }
                BODY_WORD { re = "/^today$/{words}"; score = 1; }
                LOWER_CASED { re = "/^buy$/{words}"; score = 1; }
                NOT_ACROSS_WORDS { re = "/buy now/{words}"; score = 1; }
                NOT_FROM_URLS { re = "/^pills$/{words}"; score = 1; }
                RAW_KEEPS_CASE { re = "/^Buy$/{raw_words}"; score = 1; }
                RAW_NOT_LOWERED { re = "/^viagra$/{raw_words}"; score = 1; }
                """;
        assertThat(scan(conf)).containsOnlyKeys("WHOLE_WORD", "BODY_WORD", "LOWER_CASED", "RAW_KEEPS_CASE");
    }

    @Test
    void aWordsRegexpSeesCompatibilityFormsNormalized() throws IOException {
        // NFKC: the "ﬁ" ligature and full-width letters are the plain word Rspamd's normalized words hold
        String mail = "From: a@example.org\r\nSubject: hello\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                + "a \uFB01nancial offer for ＶＩＰ users\r\n";
        assertThat(scan("FIN { re = \"/^financial$/{words}\"; score = 1; }\nVIP { re = \"/^vip$/{words}\"; score = 1; }",
                mail)).containsOnlyKeys("FIN", "VIP");
    }

    @Test
    void aSelectorRegexpMatchesEveryValueOfItsNamedSelector() throws IOException {
        String conf = """
                selectors {
                  mailer = "header('X-Mailer').lower";
                  tlds = "urls:get_tld";
                  nothing = "header('X-Missing')";
                }
                MAILER { re = "mailer=/^bulkmailer \\\\d/{selector}"; score = 2; }
                MAILER_DOLLAR { re = "mailer=/bulk/$"; score = 1; }
                TLD { re = "tlds=/^pills\\\\.example$/{selector} & Subject=/viagra/i"; score = 1; }
                MISSING { re = "nothing=/./{selector}"; score = 1; }
                """;
        assertThat(scan(conf)).containsOnlyKeys("MAILER", "MAILER_DOLLAR", "TLD");
    }

    @Test
    void aSelectorRegexpNamesAKnownSelector() {
        assertThatThrownBy(() -> settings("rules {\n  S { re = \"nosuch=/x/{selector}\"; }\n}\n"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith(dir.resolve("regexp.conf") + ":2:")
                .hasMessageContaining("unknown selector 'nosuch'");
        assertThatThrownBy(() -> settings("S { re = \"/x/{selector}\"; }")).hasMessageContaining("has no selector name");
        assertThatThrownBy(() -> settings("selectors {\n  bad = \"header('X').nosuchtransform\";\n}\n"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith(dir.resolve("regexp.conf") + ":2:")
                .hasMessageContaining("selector bad");
    }
}

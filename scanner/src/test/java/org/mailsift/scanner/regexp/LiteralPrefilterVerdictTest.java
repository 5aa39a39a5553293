package org.mailsift.scanner.regexp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.message.ParseLimits;
import org.mailsift.core.scan.SymbolResult;
import org.mailsift.scanner.EngineSettings;
import org.mailsift.scanner.ScanEngine;

/**
 * The literal prefilter only saves work: the bench's 50 regexp rules (bench/policy-config, the kinds admins write)
 * give the same symbols and values with it as with every regexp run on every text, over a few hundred messages of the
 * SpamAssassin corpus (skipped when the corpus is absent).
 */
class LiteralPrefilterVerdictTest {
    private static final Path CORPUS = Path.of(System.getenv().getOrDefault("MAILSIFT_CORPUS", "/work/shared/corpus/sa"));
    private static final Path RULES = Path.of("../bench/policy-config/local.d/regexp.conf");

    /** {@code {words}} and {@code {selector}} regexps go through the prefilter too (each word, each value a text). */
    private static final String WORDS_AND_SELECTORS = """
            selectors { subject = "header('Subject').lower"; tlds = "urls:get_tld"; }
            rules {
              BENCH_WORD_FREE { re = "/^free$/{words}"; score = 1; }
              BENCH_WORD_MONEY { re = "/^(money|cash|\\\\$\\\\d+)$/{words}"; score = 1; }
              BENCH_WORD_COUNT { re = "/^click/A{words} > 1"; score = 1; }
              BENCH_WORD_RAW { re = "/^[A-Z]{4,}$/{raw_words}"; score = 1; }
              BENCH_WORD_ANY { re = "/[aeiou]{3}/{words}"; score = 1; }
              BENCH_SEL_SUBJECT { re = "subject=/re:|free|offer/{selector}"; score = 1; }
              BENCH_SEL_TLD { re = "tlds=/\\\\.(com|net)$/$"; score = 1; }
            }
            """;

    /**
     * Regexps taking each matching shortcut (see MatchingShortcutsTest), counted with A where counts can differ: tried
     * at line starts or the text's start, at a starting literal's occurrences (overlapping ones too), a case-sensitive
     * literal found with indexOf, a required run of capitals.
     */
    private static final String SHORTCUTS = """
            rules {
              BENCH_S_LINE_START { re = "/^\\\\s*(hi|hello|dear)\\\\b/im{mime}"; score = 1; }
              BENCH_S_QUOTED_LINES { re = "/^>/mA{mime}"; score = 1; }
              BENCH_S_TEXT_START { re = "/^(re|fwd?):/i{sa_body}"; score = 1; }
              BENCH_S_HEADER_LINE { re = "/^Content-Type: text\\\\/html/m{all_header}"; score = 1; }
              BENCH_S_HTTP_COUNT { re = "/http/A{raw_mime}"; score = 1; }
              BENCH_S_LINKS { re = "/<a\\\\s+href=/iA{raw_mime}"; score = 1; }
              BENCH_S_OVERLAPPING { re = "/ee/A{mime}"; score = 1; }
              BENCH_S_CAPITALS { re = "/[A-Z]{8,}/A{mime}"; score = 1; }
              BENCH_S_SHOUTED_SUBJECT { re = "Subject=/[A-Z !]{10,}/"; score = 1; }
              BENCH_S_PHONE { re = "/\\\\d{3}-\\\\d{4}/A{mime}"; score = 1; }
              BENCH_S_WORDS_LINE { re = "/^[a-z]+ [a-z]+$/mA{mime}"; score = 1; }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void thePrefilterNeverChangesAVerdict() throws IOException {
        assertSameVerdicts(RegexpSettings.from(ConfigDirectory.open(RULES.getParent())), 50);
    }

    @Test
    void wordAndSelectorRegexpsKeepTheirVerdictsPrefiltered() throws IOException {
        Files.writeString(dir.resolve("regexp.conf"), WORDS_AND_SELECTORS);
        assertSameVerdicts(RegexpSettings.from(ConfigDirectory.open(dir)), 7);
    }

    @Test
    void everyMatchingShortcutKeepsTheCounts() throws IOException {
        Files.writeString(dir.resolve("regexp.conf"), SHORTCUTS);
        assertSameVerdicts(RegexpSettings.from(ConfigDirectory.open(dir)), 11);
    }

    private static void assertSameVerdicts(RegexpSettings settings, int rules) throws IOException {
        assumeTrue(Files.isDirectory(CORPUS.resolve("spam")), "no corpus at " + CORPUS);
        assertThat(settings.rules()).hasSizeGreaterThanOrEqualTo(rules);
        ScanEngine with = engine(new RegexpModule(settings, true));
        ScanEngine without = engine(new RegexpModule(settings, false));
        int fired = 0;
        for (Path message : sample()) {
            byte[] raw = Files.readAllBytes(message);
            Map<String, Double> expected = symbols(without, raw);
            assertThat(symbols(with, raw)).as("%s", message).isEqualTo(expected);
            fired += expected.size();
        }
        assertThat(fired).as("symbols fired over the sample").isGreaterThan(500);
    }

    private static List<Path> sample() throws IOException {
        List<Path> out = new ArrayList<>();
        for (String folder : List.of("ham", "spam")) {
            try (Stream<Path> files = Files.list(CORPUS.resolve(folder))) {
                List<Path> all = files.filter(Files::isRegularFile).sorted().toList();
                for (int i = 0; i < all.size(); i += Math.max(1, all.size() / 200)) {
                    out.add(all.get(i)); // spread over the folder: 200 of each
                }
            }
        }
        return out;
    }

    private static ScanEngine engine(RegexpModule module) {
        return new ScanEngine(List.of(module), EngineSettings.DEFAULTS, ParseLimits.DEFAULT, "test");
    }

    private static Map<String, Double> symbols(ScanEngine engine, byte[] raw) {
        Map<String, Double> out = new TreeMap<>();
        for (SymbolResult s : engine.scan(raw, Envelope.EMPTY).symbols()) {
            if (s.name().startsWith("BENCH_")) {
                out.put(s.name(), s.score());
            }
        }
        return out;
    }
}

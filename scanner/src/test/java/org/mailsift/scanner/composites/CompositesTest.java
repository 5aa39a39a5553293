package org.mailsift.scanner.composites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

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
import org.mailsift.scanner.rules.AsyncRule;
import org.mailsift.scanner.rules.Rule;
import org.mailsift.scanner.rules.ScanContext;
import org.mailsift.scanner.rules.SymbolDefinition;

/** Rspamd's composite semantics (https://rspamd.com/doc/configuration/composites.html), scenario by scenario. */
class CompositesTest {
    private static final byte[] MESSAGE = "From: a@example.com\r\nSubject: hi\r\n\r\nhello\r\n".getBytes();

    @TempDir
    Path dir;

    /** A rule that always inserts these symbols: name -> weight, all in group "grp" unless "group:name". */
    private record Fires(List<SymbolDefinition> symbols) implements Rule {
        @Override
        public void check(ScanContext context) {
            symbols.forEach(s -> context.insert(s.name(), 1.0, List.of("opt-" + s.name().toLowerCase())));
        }
    }

    private static Fires fires(Object... nameWeight) {
        List<SymbolDefinition> defs = new ArrayList<>();
        for (int i = 0; i < nameWeight.length; i += 2) {
            String name = (String) nameWeight[i];
            String group = "grp";
            if (name.contains(":")) {
                group = name.substring(0, name.indexOf(':'));
                name = name.substring(name.indexOf(':') + 1);
            }
            defs.add(new SymbolDefinition(name, group, ((Number) nameWeight[i + 1]).doubleValue(), ""));
        }
        return new Fires(defs);
    }

    private CompositesSettings settings(String compositesConf) throws IOException {
        Files.writeString(dir.resolve("composites.conf"), compositesConf);
        return CompositesSettings.from(ConfigDirectory.open(dir));
    }

    private Map<String, Double> scan(String compositesConf, Rule... rules) throws IOException {
        return symbols(result(compositesConf, rules));
    }

    private ScanResult result(String compositesConf, Rule... rules) throws IOException {
        List<Rule> all = new ArrayList<>(List.of(rules));
        all.add(new CompositesRule(settings(compositesConf)));
        return new ScanEngine(all, EngineSettings.DEFAULTS, ParseLimits.DEFAULT, "test").scan(MESSAGE, Envelope.EMPTY);
    }

    private static Map<String, Double> symbols(ScanResult r) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (SymbolResult s : r.symbols()) {
            m.put(s.name(), s.score());
        }
        return m;
    }

    @Test
    void aMatchingCompositeReplacesItsSymbolsByDefault() throws IOException {
        ScanResult r = result("composites { BOTH { expression = \"A & B\"; score = 2; } }", fires("A", 5, "B", 3, "Z", 1));
        assertThat(symbols(r)).containsOnly(Map.entry("BOTH", 2.0), Map.entry("Z", 1.0));
        assertThat(r.score()).isEqualTo(3.0);
    }

    @Test
    void aCompositeThatDoesNotMatchChangesNothing() throws IOException {
        assertThat(scan("BOTH { expression = \"A & C\"; score = 2; }", fires("A", 5, "B", 3)))
                .containsOnly(Map.entry("A", 5.0), Map.entry("B", 3.0));
    }

    @Test
    void aCompositeIsFoundThroughWhicheverOfItsSymbolsIsPresent() throws IOException {
        // each is indexed under the symbols one of which it needs: the last operand of an | chain, the smaller side of
        // an &, a symbol beside a negation or a group; composites evaluated in their configured order all the same
        String conf = "LAST_OR { expression = \"X | Y | C\"; score = 1; policy = \"leave\"; }\n"
                + "SMALL_AND { expression = \"(X | Y | B) & C\"; score = 2; policy = \"leave\"; }\n"
                + "NEGATED { expression = \"C & !X\"; score = 3; policy = \"leave\"; }\n"
                + "GROUPED { expression = \"g:grp & B\"; score = 4; policy = \"leave\"; }\n"
                + "ABSENT { expression = \"(X | C) & Y\"; score = 5; policy = \"leave\"; }\n"
                + "ARITH { expression = \"X + B + C >= 2\"; score = 6; policy = \"leave\"; }\n";
        assertThat(scan(conf, fires("B", 1, "C", 1))).containsOnly(Map.entry("B", 1.0), Map.entry("C", 1.0),
                Map.entry("LAST_OR", 1.0), Map.entry("SMALL_AND", 2.0), Map.entry("NEGATED", 3.0),
                Map.entry("GROUPED", 4.0), Map.entry("ARITH", 6.0));
    }

    @Test
    void compositesWhoseRequiredSymbolsAreAbsentAreSkippedWithoutChangingWhatOthersSee() throws IOException {
        // NEEDS_C cannot match (C absent, either side of its |); ON_TOP names it and a present symbol; OUTER negates
        // a composite that is skipped, so it matches and keeps A (its -A); AB matches and removes B
        String conf = "NEEDS_C { expression = \"(A | B) & (C | D)\"; score = 1; }\n"
                + "ON_TOP { expression = \"NEEDS_C | AB\"; score = 1; policy = \"leave\"; }\n"
                + "OUTER { expression = \"!NEEDS_C & -A\"; score = 4; policy = \"leave\"; }\n"
                + "AB { expression = \"A & B\"; score = 2; }\n"
                + "ANY_C { expression = \"C | (A & Z)\"; score = 8; policy = \"leave\"; }\n";
        assertThat(scan(conf, fires("A", 5, "B", 3)))
                .containsOnly(Map.entry("ON_TOP", 1.0), Map.entry("OUTER", 4.0), Map.entry("AB", 2.0), Map.entry("A", 5.0));
    }

    @Test
    void removeWeightKeepsTheSymbolsWithScoreZero() throws IOException {
        assertThat(scan("BOTH { expression = \"A & B\"; score = 2; policy = \"remove_weight\"; }", fires("A", 5, "B", 3)))
                .containsOnly(Map.entry("BOTH", 2.0), Map.entry("A", 0.0), Map.entry("B", 0.0));
    }

    @Test
    void removeSymbolHidesTheSymbolsButTheirScoreCounts() throws IOException {
        ScanResult r = result("BOTH { expression = \"A & B\"; score = 2; policy = \"remove_symbol\"; }",
                fires("A", 5, "B", 3));
        assertThat(symbols(r)).containsOnly(Map.entry("BOTH", 2.0));
        assertThat(r.score()).isEqualTo(10.0);
    }

    @Test
    void leaveKeepsEverything() throws IOException {
        assertThat(scan("BOTH { expression = \"A & B\"; score = 2; policy = \"leave\"; }", fires("A", 5, "B", 3)))
                .containsOnly(Map.entry("BOTH", 2.0), Map.entry("A", 5.0), Map.entry("B", 3.0));
    }

    @Test
    void prefixesAdjustThePolicyPerAtom() throws IOException {
        // ~ removes the weight only, - removes nothing; B follows the default policy (remove_all)
        assertThat(scan("X { expression = \"~A & -B & C\"; score = 1; }", fires("A", 5, "B", 3, "C", 2)))
                .containsOnly(Map.entry("X", 1.0), Map.entry("A", 0.0), Map.entry("B", 3.0));
    }

    @Test
    void aSymbolIsRemovedOnlyWhenEveryMatchingCompositeWantsIt() throws IOException {
        String conf = "REMOVES { expression = \"A & B\"; score = 1; }\nKEEPS { expression = \"A & C\"; policy = leave; }";
        assertThat(scan(conf, fires("A", 5, "B", 3, "C", 2)))
                .containsOnly(Map.entry("REMOVES", 1.0), Map.entry("KEEPS", 0.0), Map.entry("A", 5.0),
                        Map.entry("C", 2.0));
        // ^ forces the removal whatever the others want
        conf = "REMOVES { expression = \"^A & B\"; score = 1; }\nKEEPS { expression = \"A & C\"; policy = leave; }";
        assertThat(scan(conf, fires("A", 5, "B", 3, "C", 2))).doesNotContainKey("A");
    }

    @Test
    void negatedSymbolsAreNeverRemoved() throws IOException {
        // !(B & Z) is true with B present and Z absent; B is not what matched, so it stays
        assertThat(scan("X { expression = \"A & !(B & Z)\"; score = 1; }", fires("A", 5, "B", 3)))
                .containsOnly(Map.entry("X", 1.0), Map.entry("B", 3.0));
        assertThat(scan("X { expression = \"A & !B\"; score = 1; }", fires("A", 5, "B", 3)))
                .containsOnly(Map.entry("A", 5.0), Map.entry("B", 3.0));
    }

    @Test
    void groupAtomsSelectTheGroupsSymbols() throws IOException {
        Fires f = fires("policies:ALLOW", -1, "policies:FAIL", 2, "rbl:LISTED", 4);
        assertThat(scan("X { expression = \"g+:policies & g:rbl\"; score = 1; }", f))
                .containsOnly(Map.entry("X", 1.0), Map.entry("ALLOW", -1.0));
        assertThat(scan("X { expression = \"g-:policies\"; score = 1; }", fires("policies:FAIL", 2)))
                .containsOnly(Map.entry("FAIL", 2.0));
        // Rspamd's stock BAD_REP_POLICIES shape: ~ on a group, - on another
        assertThat(scan("BAD_REP_POLICIES { expression = \"(~g-:policies) & (-g+:fuzzy | -g+:rbl)\"; score = 0.1; }", f))
                .containsOnly(Map.entry("BAD_REP_POLICIES", 0.1), Map.entry("ALLOW", 0.0), Map.entry("FAIL", 2.0),
                        Map.entry("LISTED", 4.0));
    }

    @Test
    void aLargeGroupCountsItsPresentSymbolsAndItsComposites() throws IOException {
        // rbl has many symbols, two of them present; the group's composite IN_RBL is evaluated on demand through it
        Rule quiet = new Rule() {
            @Override
            public List<SymbolDefinition> symbols() {
                List<SymbolDefinition> defs = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    defs.add(new SymbolDefinition("RBL_QUIET_" + i, "rbl", 9, ""));
                }
                return defs;
            }

            @Override
            public void check(ScanContext context) {
            }
        };
        String conf = "ANY_RBL { expression = \"g+:rbl & A\"; score = 1; policy = \"leave\"; }\n"
                + "IN_RBL { expression = \"A & B\"; score = 6; group = \"rbl\"; policy = \"leave\"; }\n"
                + "NO_NEG { expression = \"A & !g-:rbl\"; score = 2; policy = \"leave\"; }\n";
        assertThat(scan(conf, quiet, fires("rbl:LISTED", 4, "rbl:ALSO", 3, "A", 1, "B", 1)))
                .containsOnly(Map.entry("ANY_RBL", 1.0), Map.entry("IN_RBL", 6.0), Map.entry("NO_NEG", 2.0),
                        Map.entry("LISTED", 4.0), Map.entry("ALSO", 3.0), Map.entry("A", 1.0), Map.entry("B", 1.0));
        assertThat(scan(conf, quiet, fires("A", 1))).containsOnly(Map.entry("NO_NEG", 2.0), Map.entry("A", 1.0));
    }

    @Test
    void compositesOfCompositesAreEvaluatedOnDemand() throws IOException {
        // OUTER is listed first but needs INNER; INNER's symbol is then removed by OUTER's remove_all
        String conf = "OUTER { expression = \"INNER & C\"; score = 7; }\nINNER { expression = \"A & B\"; score = 3; }";
        assertThat(scan(conf, fires("A", 5, "B", 3, "C", 1))).containsOnly(Map.entry("OUTER", 7.0));
    }

    @Test
    void optionsInBracketsMustBeAmongTheSymbolsOptions() throws IOException {
        assertThat(scan("X { expression = \"A[opt-a] & B[/^opt-/, opt-b]\"; score = 1; }", fires("A", 5, "B", 3)))
                .containsOnly(Map.entry("X", 1.0));
        assertThat(scan("X { expression = \"A[other]\"; score = 1; }", fires("A", 5))).containsOnly(Map.entry("A", 5.0));
    }

    @Test
    void aZeroWeightSymbolStillMatches() throws IOException {
        assertThat(scan("X { expression = \"A & B\"; score = 1; policy = leave; }", fires("A", 0, "B", 3)))
                .containsKey("X");
    }

    @Test
    void compositesSeeTheNetworkChecksResults() throws IOException {
        AsyncRule dns = new AsyncRule() {
            @Override
            public List<SymbolDefinition> symbols() {
                return List.of(new SymbolDefinition("LISTED", "rbl", 4, ""));
            }

            @Override
            public CompletionStage<Consumer<ScanContext>> start(ScanContext context) {
                return CompletableFuture.supplyAsync(() -> c -> c.insert("LISTED"));
            }
        };
        assertThat(scan("X { expression = \"LISTED & A\"; score = 9; }", dns, fires("A", 1)))
                .containsOnly(Map.entry("X", 9.0));
    }

    @Test
    void theShortFormAndTheDefaultsAreRspamds() throws IOException {
        CompositesSettings s = settings("composites {\n  X = \"A & B\";\n  Y { expression = \"A | B\"; }\n}\n");
        assertThat(s.composites()).extracting(Composite::name).containsExactly("X", "Y");
        Composite y = s.composites().get(1);
        assertThat(y.policy()).isEqualTo(CompositePolicy.REMOVE_ALL);
        assertThat(y.group()).isEqualTo("composite");
        assertThat(y.description()).isEqualTo("A | B");
        assertThat(y.score()).isZero();
    }

    @Test
    void localDotDCompositesJoinTheStockOnes() throws IOException {
        Files.createDirectories(dir.resolve("local.d"));
        Files.writeString(dir.resolve("local.d/composites.conf"),
                "MINE { expression = \"A & B\"; score = 4; }\nSTOCK { enabled = false; }\n");
        assertThat(settings("composites {\n STOCK { expression = \"A\"; }\n OTHER { expression = \"B\"; }\n}\n").composites())
                .extracting(Composite::name).containsExactlyInAnyOrder("OTHER", "MINE");
    }

    @Test
    void aCompositeReferringToItselfIsAConfigurationError() {
        assertThatThrownBy(() -> settings("composites {\n  SELF { expression = \"A & SELF\"; }\n}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("composites.conf:2")
                .hasMessageContaining("SELF refers to itself (SELF -> SELF)");
        assertThatThrownBy(() -> settings("ONE { expression = \"A & TWO\"; }\nTWO { expression = \"B | THREE\"; }\n"
                + "THREE { expression = \"!ONE\"; }\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ONE -> TWO -> THREE -> ONE");
    }

    @Test
    void badExpressionsAndPoliciesNameFileLineAndColumn() {
        assertThatThrownBy(() -> settings("X {\n  expression = \"A & (B | C\";\n}\n"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith(dir.resolve("composites.conf") + ":2:")
                .hasMessageContaining("unbalanced '('");
        assertThatThrownBy(() -> settings("X { expression = \"A\"; policy = \"remove_some\"; }"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown policy \"remove_some\"");
        assertThatThrownBy(() -> settings("X { score = 1; }")).hasMessageContaining("X has no expression");
    }

    @Test
    void rspamdsStockCompositesLoad() throws IOException {
        Path stock = Path.of("/etc/rspamd/composites.conf");
        assumeTrue(Files.isReadable(stock), "Debian's rspamd package is not installed");
        Files.copy(stock, dir.resolve("composites.conf"));
        CompositesSettings s = CompositesSettings.from(ConfigDirectory.open(dir));
        assertThat(s.composites()).hasSizeGreaterThan(25).extracting(Composite::name)
                .contains("AUTH_NA", "BAD_REP_POLICIES", "FORGED_SENDER_MAILLIST");
        // AUTH_NA's symbols are ours too: it replaces their weight with its own
        Fires auth = fires("R_DKIM_NA", 0, "R_SPF_NA", 0, "DMARC_NA", 0, "ARC_NA", 0);
        List<Rule> rules = List.of(auth, new CompositesRule(s));
        ScanResult r = new ScanEngine(rules, EngineSettings.DEFAULTS, ParseLimits.DEFAULT, "t").scan(MESSAGE, Envelope.EMPTY);
        assertThat(symbols(r)).containsEntry("AUTH_NA", 1.0).containsEntry("R_SPF_NA", 0.0)
                .doesNotContainKey("AUTH_NA_OR_FAIL");
    }
}

package org.mailsift.scanner.regexp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The required literals of every regexp of a rule set, one {@link LiteralAutomaton} per text they run over (a header
 * name and type, the body, the URLs...): a scan passes over each text once, on the first regexp that needs it, and
 * every regexp over that text then knows whether it can match and on which lines. A regexp without literals is not
 * in here and runs on every text.
 */
final class LiteralPrefilter {
    /**
     * Where one regexp's literals are: its text's automaton and its id in that automaton; or, for a case-sensitive
     * regexp with a single literal, that literal (source -1), which String.indexOf finds in each text.
     */
    record Slot(int source, int id, String literal, int reach) {
        /** The regions of {@code text} the regexp of a literal slot runs on, or null when the literal is absent. */
        int[] regions(String text) {
            return Regions.ofLiteral(text, literal, reach);
        }
    }

    private final Map<String, Slot> slots = new HashMap<>();
    private final LiteralScan[] automata;

    LiteralPrefilter(Iterable<RegexpAtom.Match> regexps) {
        Map<String, List<RegexpAtom.Match>> bySource = new LinkedHashMap<>();
        Set<String> seen = new java.util.HashSet<>();
        for (RegexpAtom.Match m : regexps) {
            if (m.required() == null || !seen.add(m.text())) {
                continue;
            }
            if (m.regex().exactLiteral() != null) {
                slots.put(m.text(), new Slot(-1, 0, m.regex().exactLiteral(), m.regex().reach()));
            } else if (m.required().stream().allMatch(l -> l.length() > 1)) {
                // (a one-character literal, "@" or " ", is in nearly every text: not worth a hit each)
                bySource.computeIfAbsent(sourceKey(m), k -> new ArrayList<>()).add(m);
            }
        }
        List<LiteralScan> built = new ArrayList<>();
        for (List<RegexpAtom.Match> group : bySource.values()) {
            List<RegexpAtom.Match> kept = group.stream()
                    .filter(m -> m.required().stream().allMatch(l -> l.chars().allMatch(c -> c > 0 && c < 128))).toList();
            if (kept.isEmpty()) {
                continue; // (a literal NUL): those regexps run on every text
            }
            for (int id = 0; id < kept.size(); id++) {
                slots.put(kept.get(id).text(), new Slot(built.size(), id, null, kept.get(id).regex().reach()));
            }
            List<Set<String>> literals = kept.stream().map(RegexpAtom.Match::required).toList();
            int[] reach = kept.stream().mapToInt(m -> m.regex().reach()).toArray();
            LiteralScan byAnchor = AnchorCharScan.of(literals, reach);
            built.add(byAnchor != null ? byAnchor : new LiteralAutomaton(literals, reach));
        }
        this.automata = built.toArray(LiteralScan[]::new);
    }

    /** The texts a regexp runs over: its type, for header types the header name (and its case with S), for selectors the selector. */
    static String sourceKey(RegexpAtom.Match m) {
        return m.type() == RegexpType.SELECTOR ? m.type() + ":" + m.header() : !m.type().isHeader() ? m.type().name()
                : m.type() + (m.strong() ? ":S:" + m.header() : ":" + m.header().toLowerCase(Locale.ROOT));
    }

    /** The regexp's automaton and id, or null when it has no literals (it runs on every text). */
    Slot slot(RegexpAtom.Match m) {
        return slots.get(m.text());
    }

    int sources() {
        return automata.length;
    }

    /** For each of {@code texts}, per regexp id of the source, the regions it runs on (LiteralAutomaton.scan). */
    int[][][] scan(int source, List<String> texts) {
        int[][][] out = new int[texts.size()][][];
        for (int i = 0; i < texts.size(); i++) {
            out[i] = automata[source].scan(texts.get(i));
        }
        return out;
    }
}

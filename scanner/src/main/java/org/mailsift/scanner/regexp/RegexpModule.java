package org.mailsift.scanner.regexp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.mailsift.scanner.expression.Expression;
import org.mailsift.scanner.rules.Rule;
import org.mailsift.scanner.rules.ScanContext;
import org.mailsift.scanner.rules.SymbolDefinition;
import org.mailsift.scanner.selectors.SelectorInput;

/**
 * The rules of regexp.conf. Each rule's expression is evaluated with short-circuits (Rspamd's default); a regexp
 * atom's value is 1 when it matches any of its texts (the number of matches with the {@code A} flag), a function's
 * 1 or 0, a name's the value of the atom or rule it names; a non-zero result inserts the symbol with that value as
 * runtime score. Within one scan each distinct regexp runs at most once, whatever the number of rules using it.
 * Matching is java.util.regex under a step budget with RE2/J behind it (GuardedRegex), so no regexp can hold a scan;
 * a regexp with required literals runs only on the texts (and lines) where the one-pass LiteralPrefilter found one.
 */
public final class RegexpModule implements Rule {
    /** A bound on counted matches ({@code A} flag), so a pattern matching everywhere costs what one pass costs. */
    static final int MAX_COUNTED = 10_000;

    private final RegexpSettings settings;
    private final Map<String, Expression<RegexpAtom>> named = new HashMap<>();
    private final List<SymbolDefinition> definitions = new ArrayList<>();
    private final LiteralPrefilter prefilter;
    /**
     * Each distinct atom (by its text) and each distinct source of texts (LiteralPrefilter.sourceKey) numbered once,
     * so a scan keeps their values and texts in arrays rather than maps keyed by strings built per message.
     */
    private final Map<String, Integer> atomIds = new HashMap<>();
    private final Map<String, Integer> sourceIds = new HashMap<>();
    /** Every regexp searched over every text with no shortcut: the reference the shortcuts are tested against. */
    private final boolean plain;

    public RegexpModule(RegexpSettings settings) {
        this(settings, true);
    }

    /**
     * @param literalPrefilter false runs every regexp on every text with a plain search (the reference the prefilter
     *                         and the other shortcuts are tested against)
     */
    RegexpModule(RegexpSettings settings, boolean literalPrefilter) {
        this.settings = settings;
        this.plain = !literalPrefilter;
        named.putAll(settings.atoms());
        for (RegexpRule r : settings.rules()) {
            definitions.add(new SymbolDefinition(r.symbol(), r.group(), r.score(), r.description()));
            named.putIfAbsent(r.symbol(), r.expression());
        }
        List<RegexpAtom.Match> regexps = new ArrayList<>();
        for (Expression<RegexpAtom> e : named.values()) {
            for (var occurrence : e.atoms()) {
                if (occurrence.atom() instanceof RegexpAtom.Match m) {
                    regexps.add(m);
                }
            }
        }
        for (RegexpRule r : settings.rules()) {
            for (var occurrence : r.expression().atoms()) {
                if (occurrence.atom() instanceof RegexpAtom.Match m) {
                    regexps.add(m);
                }
            }
        }
        this.prefilter = new LiteralPrefilter(plain ? List.of() : regexps);
        Map<String, Integer> sourceKeys = new HashMap<>();
        for (RegexpAtom.Match m : regexps) {
            sourceIds.putIfAbsent(m.text(), sourceKeys.computeIfAbsent(LiteralPrefilter.sourceKey(m), k -> sourceKeys.size()));
        }
        for (Expression<RegexpAtom> e : named.values()) {
            e.atoms().forEach(o -> atomIds.putIfAbsent(o.atom().text(), atomIds.size()));
        }
        for (RegexpRule r : settings.rules()) {
            r.expression().atoms().forEach(o -> atomIds.putIfAbsent(o.atom().text(), atomIds.size()));
        }
        this.sources = sourceKeys.size();
    }

    private final int sources;

    public RegexpSettings settings() {
        return settings;
    }

    @Override
    public List<SymbolDefinition> symbols() {
        return definitions;
    }

    @Override
    public void check(ScanContext context) {
        Scan scan = new Scan(new MessageTexts(SelectorInput.of(context), settings.maxSize(), settings.selectors()));
        for (RegexpRule rule : settings.rules()) {
            double value = scan.evaluate(rule.expression(), rule.everyAtom());
            if (value != 0 && !Double.isNaN(value)) {
                context.insert(rule.symbol(), value, List.of());
            }
        }
    }

    /** One message's evaluation: every regexp and name is computed once. */
    private final class Scan {
        private final MessageTexts texts;
        /** Per atom id: its value, once computed (known). */
        private final double[] atomValues = new double[atomIds.size()];
        private final boolean[] known = new boolean[atomIds.size()];
        /** Per source id: the texts its regexps run over, once read. */
        @SuppressWarnings("unchecked")
        private final List<String>[] inputs = new List[sources];
        /** Per prefilter source, once scanned: per text, per regexp id, the regions it can match in. */
        private final int[][][][] literalLines = new int[prefilter.sources()][][][];

        Scan(MessageTexts texts) {
            this.texts = texts;
        }

        double evaluate(Expression<RegexpAtom> e, boolean everyAtom) {
            return everyAtom ? e.evaluateAll(occurrence -> value(occurrence.atom())) : e.evaluate(this::value);
        }

        private double value(RegexpAtom atom) {
            int id = atomIds.get(atom.text()); // a regexp has a '/', a function a '(', a name neither: texts never collide
            if (known[id]) {
                return atomValues[id];
            }
            double v = switch (atom) {
                case RegexpAtom.Match m -> matches(m);
                case RegexpAtom.Function f -> RegexpFunctions.call(f, texts.message()) ? 1 : 0;
                case RegexpAtom.Reference r -> evaluate(named.get(r.text()), false);
            };
            atomValues[id] = v;
            known[id] = true;
            return v;
        }

        private List<String> inputs(RegexpAtom.Match m) {
            int source = sourceIds.get(m.text());
            List<String> in = inputs[source];
            if (in == null) {
                in = inputs[source] = m.type().isHeader() ? texts.header(m.type(), m.header(), m.strong())
                        : m.type() == RegexpType.SELECTOR ? texts.selector(m.header()) : texts.texts(m.type());
            }
            return in;
        }

        private double matches(RegexpAtom.Match m) {
            List<String> inputs = inputs(m);
            LiteralPrefilter.Slot slot = plain ? null : prefilter.slot(m);
            int[][][] lines = null; // per text, per regexp id: the regions to run on
            if (slot != null && slot.literal() == null) {
                lines = literalLines[slot.source()];
                if (lines == null) {
                    lines = literalLines[slot.source()] = prefilter.scan(slot.source(), inputs);
                }
            }
            int count = 0;
            for (int i = 0; i < inputs.size(); i++) {
                String text = inputs.get(i);
                int[] regions = slot == null ? null : lines == null ? slot.regions(text) : lines[i][slot.id()];
                if (slot != null && regions == null) {
                    continue; // none of the literals every match needs: the regexp cannot match here
                }
                int max = m.multiple() ? MAX_COUNTED - count : 1;
                count += plain ? m.regex().countEverywhere(text, max)
                        : regions == null ? m.regex().count(text, max) : m.regex().countIn(text, regions, max);
                if (count > 0 && !m.multiple() || count >= MAX_COUNTED) {
                    return count;
                }
            }
            return count;
        }
    }
}

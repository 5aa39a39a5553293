package org.mailsift.scanner.regexp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.mailsift.scanner.expression.Expression;
import org.mailsift.scanner.rules.Rule;
import org.mailsift.scanner.rules.ScanContext;
import org.mailsift.scanner.rules.SymbolDefinition;

/**
 * The rules of regexp.conf. Each rule's expression is evaluated with short-circuits (Rspamd's default); a regexp
 * atom's value is 1 when it matches any of its texts (the number of matches with the {@code A} flag), a function's
 * 1 or 0, a name's the value of the atom or rule it names; a non-zero result inserts the symbol with that value as
 * runtime score. Within one scan each distinct regexp runs at most once, whatever the number of rules using it.
 * Matching is RE2/J: linear in the text, so no regexp can hold a scan.
 */
public final class RegexpModule implements Rule {
    /** A bound on counted matches ({@code A} flag), so a pattern matching everywhere costs what one pass costs. */
    static final int MAX_COUNTED = 10_000;

    private final RegexpSettings settings;
    private final Map<String, Expression<RegexpAtom>> named = new HashMap<>();
    private final List<SymbolDefinition> definitions = new ArrayList<>();

    public RegexpModule(RegexpSettings settings) {
        this.settings = settings;
        named.putAll(settings.atoms());
        for (RegexpRule r : settings.rules()) {
            definitions.add(new SymbolDefinition(r.symbol(), r.group(), r.score(), r.description()));
            named.putIfAbsent(r.symbol(), r.expression());
        }
    }

    public RegexpSettings settings() {
        return settings;
    }

    @Override
    public List<SymbolDefinition> symbols() {
        return definitions;
    }

    @Override
    public void check(ScanContext context) {
        Scan scan = new Scan(new MessageTexts(context.message(), settings.maxSize()));
        for (RegexpRule rule : settings.rules()) {
            double value = scan.evaluate(rule.expression(), rule.everyAtom());
            if (value != 0 && !Double.isNaN(value)) {
                context.insert(rule.symbol(), value, List.of());
            }
        }
    }

    private static boolean containsAny(String text, java.util.Set<String> literals) {
        for (String l : literals) {
            if (text.contains(l)) {
                return true;
            }
        }
        return false;
    }

    /** One message's evaluation: every regexp and name is computed once. */
    private final class Scan {
        private final MessageTexts texts;
        private final Map<String, Double> atomValues = new HashMap<>();

        Scan(MessageTexts texts) {
            this.texts = texts;
        }

        double evaluate(Expression<RegexpAtom> e, boolean everyAtom) {
            return everyAtom ? e.evaluateAll(occurrence -> value(occurrence.atom())) : e.evaluate(this::value);
        }

        private double value(RegexpAtom atom) {
            String key = atom.text(); // a regexp has a '/', a function a '(', a name neither: texts never collide
            Double known = atomValues.get(key);
            if (known != null) {
                return known;
            }
            double v = switch (atom) {
                case RegexpAtom.Match m -> matches(m);
                case RegexpAtom.Function f -> RegexpFunctions.call(f, texts.message()) ? 1 : 0;
                case RegexpAtom.Reference r -> evaluate(named.get(r.text()), false);
            };
            atomValues.put(key, v);
            return v;
        }

        private double matches(RegexpAtom.Match m) {
            List<String> inputs = m.type().isHeader() ? texts.header(m.type(), m.header(), m.strong())
                    : texts.texts(m.type());
            List<String> folded = m.required() == null ? null : texts.folded(inputs);
            int count = 0;
            for (int i = 0; i < inputs.size(); i++) {
                if (folded != null && !containsAny(folded.get(i), m.required())) {
                    continue; // none of the literals every match needs: the regexp cannot match here
                }
                int max = m.multiple() ? MAX_COUNTED - count : 1;
                count += folded == null ? m.regex().count(inputs.get(i), max)
                        : m.regex().countInLines(inputs.get(i), folded.get(i), m.required(), max);
                if (count > 0 && !m.multiple() || count >= MAX_COUNTED) {
                    return count;
                }
            }
            return count;
        }
    }
}

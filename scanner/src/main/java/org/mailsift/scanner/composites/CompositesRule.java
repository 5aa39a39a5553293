package org.mailsift.scanner.composites;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.mailsift.scanner.SymbolTable;
import org.mailsift.scanner.expression.Expression;
import org.mailsift.scanner.expression.Node;
import org.mailsift.scanner.expression.Operator;
import org.mailsift.scanner.rules.FinalRule;
import org.mailsift.scanner.rules.SymbolDefinition;
import org.mailsift.scanner.rules.SymbolHits;

/**
 * Evaluates the composites after every other rule, with Rspamd's semantics (src/libserver/composites):
 * <ul>
 * <li>an atom's value is its symbol's weighted score (a tiny non-zero value for a score-0 symbol), 0 when absent or
 * when a required option is missing; a group atom is the largest such value over the group's symbols;</li>
 * <li>every atom is evaluated (no short-circuit), so every matched symbol is known; a composite named in another
 * composite's expression is evaluated first, on demand; a composite already inserted is not evaluated again;</li>
 * <li>a matching composite is inserted (weight = its score) and its matched symbols are marked for removal by its
 * policy, adjusted by each atom's prefix ({@code ~}, {@code -}, {@code ^}); symbols under a {@code !} are never
 * removed;</li>
 * <li>once all composites are evaluated (so one composite's removals never hide a symbol from another), a symbol's
 * weight goes when every composite that matched it wants it gone, the symbol itself when every one wants that, and
 * both when any used {@code ^}.</li>
 * </ul>
 */
public final class CompositesRule implements FinalRule {
    private final List<Composite> composites;
    private final Map<String, Composite> byName = new LinkedHashMap<>();
    private final List<SymbolDefinition> definitions;
    /**
     * Per composite, a test its expression cannot be true without (see {@link Presence}): most composites need a rare
     * symbol, so most scans skip most of them without evaluating their atoms.
     */
    private final Map<String, Presence> presence = new HashMap<>();
    /**
     * The index of the composites by the symbols that can make them possible: a composite whose presence test is
     * true has one of its trigger symbols present (an {@code |} chain: any operand's; an {@code &} chain: one
     * operand's), so a scan marks the candidates from the few symbols it has instead of testing every composite.
     */
    private final Map<String, int[]> byTrigger;
    /** The composites with no trigger (negations, groups, arithmetic...): candidates on every scan. */
    private final int[] alwaysCandidates;
    /** The symbols of each group, for g: atoms, computed once per symbol table (one per engine). */
    private volatile GroupIndex groups;

    /**
     * @param byGroup    each group's symbols in the table's order
     * @param position   each symbol's place in its group's list
     * @param composites per group, the places of its composites (looked at whether present or not)
     */
    private record GroupIndex(SymbolTable table, Map<String, List<SymbolDefinition>> byGroup,
                              Map<String, Integer> position, Map<String, int[]> composites) {
    }

    public CompositesRule(CompositesSettings settings) {
        this.composites = settings.composites();
        List<SymbolDefinition> defs = new ArrayList<>();
        for (Composite c : composites) {
            byName.put(c.name(), c);
            defs.add(new SymbolDefinition(c.name(), c.group(), c.score(), c.description()));
        }
        for (Composite c : composites) {
            presence.put(c.name(), Presence.of(c.expression().root(), byName.keySet()));
        }
        this.definitions = List.copyOf(defs);
        Map<String, List<Integer>> triggers = new HashMap<>();
        List<Integer> always = new ArrayList<>();
        for (int i = 0; i < composites.size(); i++) {
            Set<String> t = presence.get(composites.get(i).name()).triggers();
            if (t == null) {
                always.add(i);
            } else {
                for (String symbol : t) {
                    triggers.computeIfAbsent(symbol, k -> new ArrayList<>()).add(i);
                }
            }
        }
        this.byTrigger = new HashMap<>();
        triggers.forEach((symbol, list) -> byTrigger.put(symbol, list.stream().mapToInt(Integer::intValue).toArray()));
        this.alwaysCandidates = always.stream().mapToInt(Integer::intValue).toArray();
    }

    public List<Composite> composites() {
        return composites;
    }

    @Override
    public List<SymbolDefinition> symbols() {
        return definitions;
    }

    /**
     * Whether an expression can be non-zero given which symbols are present: an absent plain symbol's atom is 0
     * (symbolValue), a chain of {@code &} is 0 when one operand is, of {@code |} when every operand is. Anything else
     * (negations, groups, composites, arithmetic) is taken as possibly non-zero, so a composite is only skipped when
     * its evaluation would certainly be false; the atoms it then does not evaluate would not matter, and composites
     * named in it are evaluated in their own turn.
     */
    private sealed interface Presence {
        Presence MAYBE = new Maybe();

        boolean possible(SymbolHits hits);

        /**
         * Symbols one of which is present whenever {@link #possible} is true, or null when there are none (always
         * possible).
         */
        Set<String> triggers();

        static Presence of(Node<CompositeAtom> node, java.util.Set<String> composites) {
            if (node instanceof Node.Atom<CompositeAtom> a && !a.negated() && a.atom().kind() == CompositeAtom.Kind.SYMBOL
                    && !composites.contains(a.atom().name())) {
                return new Symbol(a.atom().name());
            }
            if (node instanceof Node.Operation<CompositeAtom> o
                    && (o.operator() == Operator.AND || o.operator() == Operator.OR)) {
                List<Presence> known = new ArrayList<>();
                for (Node<CompositeAtom> operand : o.operands()) {
                    Presence p = of(operand, composites);
                    if (p == MAYBE) {
                        if (o.operator() == Operator.OR) {
                            return MAYBE; // one operand that may be non-zero makes the chain possible
                        }
                    } else {
                        known.add(p);
                    }
                }
                if (known.isEmpty()) {
                    return MAYBE;
                }
                return new Chain(o.operator() == Operator.AND, known.toArray(Presence[]::new));
            }
            return MAYBE;
        }

        record Maybe() implements Presence {
            @Override
            public boolean possible(SymbolHits hits) {
                return true;
            }

            @Override
            public Set<String> triggers() {
                return null;
            }
        }

        record Symbol(String name) implements Presence {
            @Override
            public boolean possible(SymbolHits hits) {
                return hits.has(name);
            }

            @Override
            public Set<String> triggers() {
                return Set.of(name);
            }
        }

        /** @param all {@code &}: every operand must be possible; {@code |}: one */
        record Chain(boolean all, Presence[] operands) implements Presence {
            @Override
            public boolean possible(SymbolHits hits) {
                for (Presence p : operands) {
                    if (p.possible(hits) != all) {
                        return !all;
                    }
                }
                return all;
            }

            /** {@code &}: the smallest of its operands' sets (each is necessary); {@code |}: all of them. */
            @Override
            public Set<String> triggers() {
                Set<String> out = null;
                for (Presence p : operands) {
                    Set<String> t = p.triggers();
                    if (t == null) {
                        if (!all) {
                            return null;
                        }
                    } else if (out == null || all && t.size() < out.size()) {
                        out = all ? t : new HashSet<>(t);
                    } else if (!all) {
                        out.addAll(t);
                    }
                }
                return out;
            }
        }
    }

    private boolean cannotMatch(Composite c, SymbolHits hits) {
        return !presence.get(c.name()).possible(hits);
    }

    @Override
    public void finish(SymbolHits hits, SymbolTable symbols) {
        if (composites.isEmpty()) {
            return;
        }
        GroupIndex index = groups;
        if (index == null || index.table() != symbols) {
            Map<String, List<SymbolDefinition>> byGroup = new HashMap<>();
            Map<String, Integer> position = new HashMap<>();
            Map<String, List<Integer>> compositePlaces = new HashMap<>();
            for (SymbolDefinition d : symbols.all().values()) {
                List<SymbolDefinition> members = byGroup.computeIfAbsent(d.group(), g -> new ArrayList<>());
                position.put(d.name(), members.size());
                if (byName.containsKey(d.name())) {
                    compositePlaces.computeIfAbsent(d.group(), g -> new ArrayList<>()).add(members.size());
                }
                members.add(d);
            }
            Map<String, int[]> composites = new HashMap<>();
            compositePlaces.forEach((g, l) -> composites.put(g, l.stream().mapToInt(Integer::intValue).toArray()));
            index = new GroupIndex(symbols, byGroup, position, composites);
            groups = index;
        }
        boolean[] candidate = new boolean[composites.size()];
        for (int i : alwaysCandidates) {
            candidate[i] = true;
        }
        for (String symbol : hits.names()) {
            int[] t = byTrigger.get(symbol);
            if (t != null) {
                for (int i : t) {
                    candidate[i] = true;
                }
            }
        }
        Run run = null;
        for (int i = 0; i < candidate.length; i++) {
            if (!candidate[i]) {
                continue; // cannotMatch: skipped or evaluated false alike (a composite naming it evaluates it then)
            }
            Composite c = composites.get(i);
            if (run == null) {
                if (hits.has(c.name()) || cannotMatch(c, hits)) {
                    continue;
                }
                run = new Run(hits, symbols, index);
            }
            run.evaluate(c);
        }
        if (run != null) {
            run.applyRemovals();
        }
    }

    /** A symbol a matching composite would remove, and how. */
    private record Removal(int bits, boolean negated) {
    }

    /** One scan's evaluation state. */
    private final class Run {
        private final SymbolHits hits;
        private final SymbolTable symbols;
        private final Map<String, Boolean> evaluated = new HashMap<>();
        private final Set<String> inProgress = new HashSet<>();
        private final Map<String, List<Removal>> removals = new LinkedHashMap<>();
        private final GroupIndex groupIndex;

        Run(SymbolHits hits, SymbolTable symbols, GroupIndex groupIndex) {
            this.hits = hits;
            this.symbols = symbols;
            this.groupIndex = groupIndex;
        }

        /**
         * The symbols of a group a group atom looks at: those present and the group's composites (evaluated on
         * demand), in the group's order -- found from the scan's few symbols rather than by testing each of a large
         * group's (rbl, policies) for presence. Only composites are inserted while composites run, so the set
         * stays what testing each member would find.
         */
        private List<SymbolDefinition> presentMembers(String group) {
            List<SymbolDefinition> members = groupIndex.byGroup().getOrDefault(group, List.of());
            java.util.Collection<String> present = hits.names();
            if (members.size() <= present.size()) {
                return members;
            }
            int[] composites = groupIndex.composites().getOrDefault(group, new int[0]);
            int[] places = new int[present.size() + composites.length];
            int n = 0;
            for (String name : present) {
                SymbolDefinition d = symbols.get(name);
                Integer place = d == null || !d.group().equals(group) ? null : groupIndex.position().get(name);
                if (place != null && !byName.containsKey(name)) {
                    places[n++] = place;
                }
            }
            for (int place : composites) {
                places[n++] = place;
            }
            java.util.Arrays.sort(places, 0, n);
            List<SymbolDefinition> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(members.get(places[i]));
            }
            return out;
        }

        void evaluate(Composite c) {
            if (evaluated.containsKey(c.name()) || inProgress.contains(c.name())) {
                return;
            }
            if (hits.has(c.name())) {
                evaluated.put(c.name(), true);
                return;
            }
            if (cannotMatch(c, hits)) {
                evaluated.put(c.name(), false);
                return;
            }
            inProgress.add(c.name());
            Map<String, List<Removal>> matched = new LinkedHashMap<>();
            double value;
            try {
                value = c.expression().evaluateAll(atom -> atomValue(c, atom, matched));
            } finally {
                inProgress.remove(c.name());
            }
            boolean match = Expression.isTrue(value);
            evaluated.put(c.name(), match);
            if (match) {
                hits.insert(c.name(), 1.0);
                matched.forEach((sym, list) -> removals.computeIfAbsent(sym, k -> new ArrayList<>()).addAll(list));
            }
        }

        private double atomValue(Composite c, Node.Atom<CompositeAtom> occurrence, Map<String, List<Removal>> matched) {
            CompositeAtom atom = occurrence.atom();
            if (atom.kind() == CompositeAtom.Kind.SYMBOL) {
                double v = symbolValue(atom.name(), atom);
                if (Expression.isTrue(v)) {
                    matched.computeIfAbsent(atom.name(), k -> new ArrayList<>())
                            .add(new Removal(atom.removalBits(c.policy().bits()), occurrence.negated()));
                }
                return v;
            }
            double max = 0;
            for (SymbolDefinition d : presentMembers(atom.name())) {
                if (!hits.has(d.name()) && !byName.containsKey(d.name()) || d.name().equals(c.name())
                        || atom.kind() == CompositeAtom.Kind.GROUP_POSITIVE && !(d.weight() > 0)
                        || atom.kind() == CompositeAtom.Kind.GROUP_NEGATIVE && !(d.weight() < 0)) {
                    continue;
                }
                double v = symbolValue(d.name(), atom);
                if (Expression.isTrue(v)) {
                    matched.computeIfAbsent(d.name(), k -> new ArrayList<>())
                            .add(new Removal(atom.removalBits(c.policy().bits()), occurrence.negated()));
                    max = Math.max(max, Math.abs(v));
                }
            }
            return max;
        }

        /** Rspamd's process_single_symbol: the weighted score, options checked, composites evaluated on demand. */
        private double symbolValue(String name, CompositeAtom atom) {
            if (!hits.has(name)) {
                Composite other = byName.get(name);
                if (other == null) {
                    return 0;
                }
                evaluate(other);
                if (!hits.has(name)) {
                    return 0;
                }
            }
            for (CompositeAtom.OptionMatch option : atom.options()) {
                if (!option.matchesAny(hits.options(name))) {
                    return 0;
                }
            }
            double score = symbols.get(name).weight() * hits.runtimeScore(name);
            return score == 0 ? Expression.EPSILON * 16 : score;
        }

        void applyRemovals() {
            for (Map.Entry<String, List<Removal>> e : removals.entrySet()) {
                boolean any = false;
                boolean removeWeight = true;
                boolean removeSymbol = true;
                boolean forced = false;
                for (Removal r : e.getValue()) {
                    if (r.negated()) {
                        continue; // !A | B can match with A present: A is not what matched
                    }
                    any = true;
                    removeWeight &= (r.bits() & CompositePolicy.WEIGHT_BIT) != 0;
                    removeSymbol &= (r.bits() & CompositePolicy.HIDE_BIT) != 0;
                    forced |= (r.bits() & CompositePolicy.FORCED_BIT) != 0;
                }
                if (!any) {
                    continue;
                }
                if (removeWeight || forced) {
                    hits.removeWeight(e.getKey());
                }
                if (removeSymbol || forced) {
                    hits.hide(e.getKey());
                }
            }
        }
    }
}

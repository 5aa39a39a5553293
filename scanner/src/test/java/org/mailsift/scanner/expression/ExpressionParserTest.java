package org.mailsift.scanner.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ExpressionParserTest {
    private static final AtomParser<String> NAMES = AtomParser.names(s -> s);

    private static String postfix(String text) {
        return Expression.parse(text, NAMES).toPostfix();
    }

    private static double eval(String text, Map<String, Double> values) {
        return Expression.parse(text, NAMES).evaluate(a -> values.getOrDefault(a, 0.0));
    }

    @Test
    void andBindsTighterThanOrAsInRspamd() {
        assertThat(postfix("A & B | C")).isEqualTo("(A) (B) & (C) |");
        assertThat(postfix("A | B & C")).isEqualTo("(A) (B) (C) & |");
        assertThat(postfix("(A | B) & C")).isEqualTo("(A) (B) | (C) &");
    }

    @Test
    void aChainOfOneOperatorIsOneNode() {
        assertThat(postfix("A & B & C & D")).isEqualTo("(A) (B) (C) (D) &(4)");
        assertThat(postfix("A || B || C")).isEqualTo("(A) (B) (C) |(3)");
    }

    @Test
    void everySpellingOfTheOperatorsIsAccepted() {
        String canonical = postfix("A & !B | C");
        assertThat(postfix("A && !B || C")).isEqualTo(canonical);
        assertThat(postfix("A and not B or C")).isEqualTo(canonical);
        assertThat(postfix("A AND NOT B OR C")).isEqualTo(canonical);
        assertThat(postfix("A&!B|C")).isEqualTo(canonical);
    }

    @Test
    void notBindsToTheNextOperandOnly() {
        assertThat(postfix("!A & B")).isEqualTo("(A) ! (B) &");
        assertThat(postfix("!(A & B)")).isEqualTo("(A) (B) & !");
        assertThat(postfix("!!A")).isEqualTo("(A) ! !");
    }

    @Test
    void sumsCompareWithALimit() {
        Expression<String> e = Expression.parse("(A + B + C) >= 2", NAMES);
        assertThat(e.toPostfix()).isEqualTo("(A) (B) (C) +(3) 2 >=");
        assertThat(e.evaluate(a -> a.equals("B") ? 0 : 1)).isEqualTo(1.0);
        assertThat(e.evaluate(a -> a.equals("A") ? 1 : 0)).isEqualTo(0.0);
        assertThat(postfix("A + B > 1.5")).isEqualTo("(A) (B) + 1.5 >");
        assertThat(eval("A * 2 == 4", Map.of("A", 2.0))).isEqualTo(1.0);
        assertThat(eval("A / 2 < 1", Map.of("A", 3.0))).isEqualTo(0.0);
        assertThat(eval("A - B != 0", Map.of("A", 3.0, "B", 3.0))).isEqualTo(0.0);
    }

    @Test
    void prefixedAtomsAreNotOperators() {
        // composites: -SYM (keep), ~SYM (remove weight only), ^SYM (forced); a spaced '-' subtracts
        assertThat(Expression.parse("-A & ~B | ^C", NAMES).atoms()).extracting(Node.Atom::atom)
                .containsExactly("-A", "~B", "^C");
        assertThat(postfix("A - B")).isEqualTo("(A) (B) -");
    }

    @Test
    void andOrNotAreWordsOnlyBeforeASpace() {
        assertThat(Expression.parse("notice & oracle & android", NAMES).atoms()).extracting(Node.Atom::atom)
                .containsExactly("notice", "oracle", "android");
    }

    @Test
    void atomsUnderANegationAreMarked() {
        Expression<String> e = Expression.parse("!(A | B) & C & !D", NAMES);
        assertThat(e.atoms()).extracting(a -> a.atom() + ":" + a.negated())
                .containsExactly("A:true", "B:true", "C:false", "D:true");
    }

    @Test
    void andStopsAtTheFirstZeroUnlessEveryAtomIsWanted() {
        Expression<String> e = Expression.parse("A & B | C", NAMES);
        List<String> asked = new ArrayList<>();
        e.evaluate(a -> {
            asked.add(a);
            return 0;
        });
        assertThat(asked).containsExactly("A", "C");
        asked.clear();
        e.evaluateAll(a -> {
            asked.add(a.atom());
            return 0;
        });
        assertThat(asked).containsExactly("A", "B", "C");
    }

    @Test
    void truthFollowsRspamd() {
        Map<String, Double> v = Map.of("A", 5.0, "B", -2.0);
        assertThat(eval("A & B", v)).isEqualTo(1.0);
        assertThat(eval("A & Z", v)).isEqualTo(0.0);
        assertThat(eval("Z | B", v)).isEqualTo(1.0);
        assertThat(eval("!Z", v)).isEqualTo(1.0);
        assertThat(eval("!B", v)).isEqualTo(0.0);
        assertThat(eval("A", v)).isEqualTo(5.0);
    }

    @Test
    void theAtomParserDecidesWhereAnAtomEnds() {
        // a toy regexp atom: [Header=]/.../flags, with \/ escapes, as regexp rules write them
        AtomParser<String> regexps = (text, start) -> {
            int slash = text.indexOf('/', start);
            int p = slash + 1;
            while (text.charAt(p) != '/') {
                p += text.charAt(p) == '\\' ? 2 : 1;
            }
            p++;
            while (p < text.length() && Character.isLetter(text.charAt(p))) {
                p++;
            }
            return new AtomParser.Parsed<>(text.substring(start, p), p);
        };
        Expression<String> e = Expression.parse("Subject=/a & b\\/c/i & !/x|y/P", regexps);
        assertThat(e.toPostfix()).isEqualTo("(Subject=/a & b\\/c/i) (/x|y/P) ! &");
    }

    @Test
    void malformedExpressionsSayWhereTheyBreak() {
        assertThatThrownBy(() -> Expression.parse("A &", NAMES)).isInstanceOf(ExpressionException.class)
                .hasMessageContaining("missing operand for '&'");
        assertThatThrownBy(() -> Expression.parse("(A & B", NAMES)).hasMessageContaining("unbalanced '('")
                .satisfies(x -> assertThat(((ExpressionException) x).offset()).isZero());
        assertThatThrownBy(() -> Expression.parse("A & B)", NAMES)).hasMessageContaining("unbalanced ')'")
                .satisfies(x -> assertThat(((ExpressionException) x).offset()).isEqualTo(5));
        assertThatThrownBy(() -> Expression.parse("A B", NAMES)).hasMessageContaining("without an operator");
        assertThatThrownBy(() -> Expression.parse("  ", NAMES)).hasMessageContaining("empty expression");
        assertThatThrownBy(() -> Expression.parse("!", NAMES)).hasMessageContaining("no operand after '!'");
    }

    @Test
    void deepNestingDoesNotOverflowTheParser() {
        String deep = "(".repeat(500) + "A" + ")".repeat(500);
        assertThat(postfix(deep)).isEqualTo("(A)");
    }
}

package org.mailsift.scanner.expression;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * A parsed expression ({@link ExpressionParser}), immutable and safe to evaluate from several threads at once.
 * Evaluation follows Rspamd's rspamd_process_expression: an atom's value is whatever the caller's function says
 * (a symbol's score, a regexp's match count...); {@code !x} is 1 when x is 0 and else 0; a chain of {@code &} is 1
 * when every operand is non-zero, {@code |} when any is; {@code +} and {@code *} add and multiply; comparisons give 1
 * or 0. "Zero" means within {@link #EPSILON} of 0.
 *
 * @param <A> the atom type
 */
public final class Expression<A> {
    /** C's DBL_EPSILON, Rspamd's "is zero" bound. */
    public static final double EPSILON = Math.ulp(1.0);

    private final String text;
    private final Node<A> root;
    private final List<Node.Atom<A>> atoms;

    Expression(String text, Node<A> root) {
        this.text = text;
        this.root = root;
        List<Node.Atom<A>> found = new ArrayList<>();
        collectAtoms(root, found);
        this.atoms = List.copyOf(found);
    }

    /** Parses {@code text}; see {@link ExpressionParser}. */
    public static <A> Expression<A> parse(String text, AtomParser<A> atoms) {
        return ExpressionParser.parse(text, atoms);
    }

    /**
     * Evaluates with short-circuits (an {@code &} chain stops at its first zero operand, {@code |} at its first
     * non-zero one), as Rspamd evaluates regexp rules.
     */
    public double evaluate(ToDoubleFunction<? super A> atomValue) {
        return eval(root, a -> atomValue.applyAsDouble(a.atom()), true);
    }

    /**
     * Evaluates every atom, without short-circuits, giving the function each occurrence (with whether a {@code !}
     * is above it): Rspamd's composites evaluate so (RSPAMD_EXPRESSION_FLAG_NOOPT) to learn every matched symbol.
     */
    public double evaluateAll(ToDoubleFunction<Node.Atom<A>> occurrenceValue) {
        return eval(root, occurrenceValue, false);
    }

    /** Whether a value counts as true (non-zero). */
    public static boolean isTrue(double value) {
        return Math.abs(value) > EPSILON;
    }

    /** Every atom occurrence, left to right. */
    public List<Node.Atom<A>> atoms() {
        return atoms;
    }

    public Node<A> root() {
        return root;
    }

    /** The text it was parsed from. */
    public String text() {
        return text;
    }

    private double eval(Node<A> node, ToDoubleFunction<Node.Atom<A>> atomValue, boolean shortCircuit) {
        return switch (node) {
            case Node.Atom<A> a -> atomValue.applyAsDouble(a);
            case Node.Limit<A> l -> l.value();
            case Node.Operation<A> o -> switch (o.operator().arity()) {
                case UNARY -> isTrue(eval(o.operands().get(0), atomValue, shortCircuit)) ? 0.0 : 1.0;
                case BINARY -> binary(o.operator(), eval(o.operands().get(0), atomValue, shortCircuit),
                        eval(o.operands().get(1), atomValue, shortCircuit));
                case NARY -> nary(o, atomValue, shortCircuit);
            };
        };
    }

    private double nary(Node.Operation<A> o, ToDoubleFunction<Node.Atom<A>> atomValue, boolean shortCircuit) {
        double acc = Double.NaN;
        for (Node<A> child : o.operands()) {
            double v = eval(child, atomValue, shortCircuit);
            if (Double.isNaN(acc)) {
                acc = v;
            } else {
                acc = switch (o.operator()) {
                    case PLUS -> acc + v;
                    case MULT -> acc * v;
                    case AND -> isTrue(acc) && isTrue(v) ? 1.0 : 0.0;
                    case OR -> isTrue(acc) || isTrue(v) ? 1.0 : 0.0;
                    default -> throw new IllegalStateException(o.operator() + " is not n-ary");
                };
            }
            if (shortCircuit && (o.operator() == Operator.AND && acc == 0 || o.operator() == Operator.OR && acc != 0)) {
                return acc;
            }
        }
        return acc;
    }

    private static double binary(Operator op, double a, double b) {
        return switch (op) {
            case MINUS -> a - b;
            case DIVIDE -> a / b;
            case GE -> a >= b ? 1 : 0;
            case GT -> a > b ? 1 : 0;
            case LE -> a <= b ? 1 : 0;
            case LT -> a < b ? 1 : 0;
            case EQ -> a == b ? 1 : 0;
            case NE -> a != b ? 1 : 0;
            default -> throw new IllegalStateException(op + " is not binary");
        };
    }

    private static <A> void collectAtoms(Node<A> node, List<Node.Atom<A>> out) {
        switch (node) {
            case Node.Atom<A> a -> out.add(a);
            case Node.Limit<A> l -> {
            }
            case Node.Operation<A> o -> o.operands().forEach(c -> collectAtoms(c, out));
        }
    }

    /**
     * The tree in postfix order as Rspamd's rspamd_expression_tostring prints it: atoms in parentheses, a chain's
     * operator with its operand count when more than two, e.g. {@code (A) (B) (C) &(3) (D) |}.
     */
    public String toPostfix() {
        StringBuilder sb = new StringBuilder();
        postfix(root, sb);
        return sb.toString().strip();
    }

    private static <A> void postfix(Node<A> node, StringBuilder sb) {
        switch (node) {
            case Node.Atom<A> a -> sb.append('(').append(a.atom()).append(") ");
            case Node.Limit<A> l -> sb.append(l.value() == Math.rint(l.value())
                    ? Long.toString((long) l.value()) : Double.toString(l.value())).append(' ');
            case Node.Operation<A> o -> {
                o.operands().forEach(c -> postfix(c, sb));
                sb.append(o.operator().symbol());
                if (o.operands().size() > 2) {
                    sb.append('(').append(o.operands().size()).append(')');
                }
                sb.append(' ');
            }
        }
    }

    @Override
    public String toString() {
        return text;
    }
}

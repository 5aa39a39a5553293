package org.mailsift.scanner.expression;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses Rspamd's expression language (src/libutil/expression.c), shared by composites, regexp rules and multimap's
 * {@code combined} maps. The grammar, as Rspamd reads it:
 * <ul>
 * <li>operators {@code &} {@code &&} {@code and}, {@code |} {@code ||} {@code or}, {@code !} {@code not}, parentheses,
 * arithmetic {@code + - * /} and comparisons {@code >= > <= < == !=}, with Rspamd's priorities ({@link Operator});
 * {@code and}, {@code or}, {@code not} are words of any case followed by a space (or a parenthesis);</li>
 * <li>{@code -} is an operator only when followed by whitespace ({@code -SYM} is a composite atom) and {@code /} only
 * when followed by a number ({@code /re/} is a regexp atom);</li>
 * <li>after an arithmetic or comparison operator a number is a limit ({@code (A + B + C) >= 2});</li>
 * <li>everything else is an atom, read by the caller's {@link AtomParser}.</li>
 * </ul>
 * A chain of one associative operator is one node ({@code A & B & C}); evaluation follows Rspamd's
 * ({@link Expression}).
 */
public final class ExpressionParser {
    /** Rspamd's num_re: a number followed by whitespace, ')' or the end. */
    private static final Pattern LIMIT = Pattern.compile("([+-]?(?:[0-9]*[.])?[0-9]+)(?:\\s+|[)]|$)");
    private static final String OPERATOR_CHARS = "!&|()><+*-/=";

    private ExpressionParser() {
    }

    /** An operator token on the stack (or an open parenthesis, {@code operator == null}) with its offset. */
    private record Pending(Operator operator, int offset) {
    }

    public static <A> Expression<A> parse(String text, AtomParser<A> atoms) {
        Deque<Pending> ops = new ArrayDeque<>();
        Deque<Node<A>> operands = new ArrayDeque<>();
        int n = text.length();
        int p = 0;
        while (p < n) {
            char c = text.charAt(p);
            if (Character.isWhitespace(c)) {
                p++;
                continue;
            }
            int wordOp = wordOperator(text, p);
            if (isOperatorAt(text, p) || wordOp > 0) {
                int start = p;
                Operator op;
                if (wordOp > 0) {
                    op = switch (Character.toLowerCase(c)) {
                        case 'a' -> Operator.AND;
                        case 'o' -> Operator.OR;
                        default -> Operator.NOT;
                    };
                    p += wordOp;
                } else if (c == '(') {
                    ops.push(new Pending(null, p));
                    p++;
                    continue;
                } else if (c == ')') {
                    p++;
                    closeParenthesis(ops, operands, start);
                    continue;
                } else {
                    int[] length = new int[1];
                    op = symbolOperator(text, p, length);
                    p += length[0];
                }
                while (!ops.isEmpty() && ops.peek().operator() != null
                        && op.priority() < ops.peek().operator().priority()) {
                    addNode(ops.pop(), operands);
                }
                ops.push(new Pending(op, start));
                continue;
            }
            Pending top = ops.peek();
            if (top != null && top.operator() != null && top.operator().takesLimit()) {
                Matcher m = LIMIT.matcher(text).region(p, n);
                if (m.lookingAt()) {
                    operands.push(new Node.Limit<>(Double.parseDouble(m.group(1))));
                    p = m.end(1);
                    continue;
                }
            }
            AtomParser.Parsed<A> atom = atoms.parse(text, p);
            if (atom == null || atom.end() <= p) {
                throw new ExpressionException("cannot parse an atom at '" + excerpt(text, p) + "'", p);
            }
            operands.push(new Node.Atom<>(atom.atom(), false));
            p = atom.end();
        }
        while (!ops.isEmpty()) {
            Pending op = ops.pop();
            if (op.operator() == null) {
                throw new ExpressionException("unbalanced '(': no matching ')'", op.offset());
            }
            addNode(op, operands);
        }
        if (operands.isEmpty()) {
            throw new ExpressionException("empty expression", 0);
        }
        if (operands.size() != 1) {
            throw new ExpressionException("operands without an operator between them (" + operands.size()
                    + " left over)", n);
        }
        return new Expression<>(text, markNegated(operands.pop(), false));
    }

    private static <A> void closeParenthesis(Deque<Pending> ops, Deque<Node<A>> operands, int offset) {
        while (true) {
            Pending op = ops.poll();
            if (op == null) {
                throw new ExpressionException("unbalanced ')': no matching '('", offset);
            }
            if (op.operator() == null) {
                return;
            }
            addNode(op, operands);
        }
    }

    private static <A> void addNode(Pending pending, Deque<Node<A>> operands) {
        Operator op = pending.operator();
        if (op.arity() == Operator.Arity.UNARY) {
            Node<A> a = operands.poll();
            if (a == null) {
                throw new ExpressionException("no operand after '" + op.symbol() + "'", pending.offset());
            }
            operands.push(new Node.Operation<>(op, List.of(a)));
            return;
        }
        Node<A> right = operands.poll();
        Node<A> left = operands.poll();
        if (right == null || left == null) {
            throw new ExpressionException("missing operand for '" + op.symbol() + "'", pending.offset());
        }
        if (op.arity() == Operator.Arity.NARY) {
            // A & B & C is one node with three operands, as Rspamd builds it
            if (left instanceof Node.Operation<A> l && l.operator() == op) {
                List<Node<A>> all = new ArrayList<>(l.operands());
                all.add(right);
                operands.push(new Node.Operation<>(op, all));
                return;
            }
            if (right instanceof Node.Operation<A> r && r.operator() == op) {
                List<Node<A>> all = new ArrayList<>();
                all.add(left);
                all.addAll(r.operands());
                operands.push(new Node.Operation<>(op, all));
                return;
            }
        }
        operands.push(new Node.Operation<>(op, List.of(left, right)));
    }

    private static <A> Node<A> markNegated(Node<A> node, boolean underNot) {
        return switch (node) {
            case Node.Atom<A> a -> underNot ? new Node.Atom<>(a.atom(), true) : a;
            case Node.Limit<A> l -> l;
            case Node.Operation<A> o -> {
                boolean not = underNot || o.operator() == Operator.NOT;
                List<Node<A>> children = new ArrayList<>(o.operands().size());
                for (Node<A> child : o.operands()) {
                    children.add(markNegated(child, not));
                }
                yield new Node.Operation<>(o.operator(), children);
            }
        };
    }

    /** Rspamd's rspamd_expr_is_operation: whether an operator (not an atom) starts at {@code p}. */
    private static boolean isOperatorAt(String text, int p) {
        char c = text.charAt(p);
        if (OPERATOR_CHARS.indexOf(c) < 0) {
            return false;
        }
        if (p + 1 >= text.length()) {
            return true;
        }
        char next = text.charAt(p + 1);
        if (next == ':') {
            return false; // e.g. "-:" is read as an atom
        }
        if (c == '/') {
            int q = p + 1;
            while (q < text.length() && Character.isWhitespace(text.charAt(q))) {
                q++;
            }
            return LIMIT.matcher(text).region(q, text.length()).lookingAt(); // else a /regexp/
        }
        if (c == '-') {
            return Character.isWhitespace(next); // "-SYM" is a composite atom, "A - B" subtracts
        }
        return true;
    }

    /** The length of {@code and} / {@code or} / {@code not} (any case) at {@code p} followed by a space or '(', else 0. */
    private static int wordOperator(String text, int p) {
        for (String w : new String[] {"and", "not", "or"}) {
            int end = p + w.length();
            if (end < text.length() && text.regionMatches(true, p, w, 0, w.length())) {
                char after = text.charAt(end);
                if (Character.isWhitespace(after) || after == '(') {
                    return w.length();
                }
            }
        }
        return 0;
    }

    private static Operator symbolOperator(String text, int p, int[] length) {
        char c = text.charAt(p);
        char next = p + 1 < text.length() ? text.charAt(p + 1) : 0;
        length[0] = 1;
        switch (c) {
            case '&':
                length[0] = next == '&' ? 2 : 1;
                return Operator.AND;
            case '|':
                length[0] = next == '|' ? 2 : 1;
                return Operator.OR;
            case '!':
                if (next == '=') {
                    length[0] = 2;
                    return Operator.NE;
                }
                return Operator.NOT;
            case '=':
                length[0] = next == '=' ? 2 : 1;
                return Operator.EQ;
            case '>':
                length[0] = next == '=' ? 2 : 1;
                return next == '=' ? Operator.GE : Operator.GT;
            case '<':
                length[0] = next == '=' ? 2 : 1;
                return next == '=' ? Operator.LE : Operator.LT;
            case '+':
                return Operator.PLUS;
            case '*':
                return Operator.MULT;
            case '/':
                return Operator.DIVIDE;
            case '-':
                return Operator.MINUS;
            default:
                throw new ExpressionException("unknown operator '" + c + "'", p);
        }
    }

    static String excerpt(String text, int p) {
        String rest = text.substring(p);
        return rest.length() > 20 ? rest.substring(0, 20) + "..." : rest;
    }
}

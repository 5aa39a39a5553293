package org.mailsift.sieve.engine.ext;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.apache.jsieve.Argument;
import org.apache.jsieve.NumberArgument;
import org.apache.jsieve.SieveContext;
import org.apache.jsieve.StringListArgument;
import org.apache.jsieve.TagArgument;
import org.apache.jsieve.exception.SyntaxException;

/**
 * The common arguments of Sieve's match tests, parsed from jSieve's argument list: comparator, match type
 * (:is, :contains, :matches, :regex, :value "op", :count "op"), address part (:all, :localpart, :domain),
 * any tags the test itself accepts, and the positional string lists.
 */
record MatchSpec(String comparator, String matchType, String relation, String addressPart, List<String> extraTags,
                 List<List<String>> strings) {

    static MatchSpec parse(List<Argument> args, Set<String> ownTags, boolean addressParts, SieveContext context) throws SyntaxException {
        String comparator = null;
        String matchType = null;
        String relation = null;
        String addressPart = null;
        List<String> extra = new ArrayList<>();
        List<List<String>> strings = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            Argument a = args.get(i);
            if (a instanceof TagArgument t) {
                String tag = t.getTag().toLowerCase(Locale.ROOT);
                switch (tag) {
                    case ":comparator" -> comparator = single(args, ++i, tag, context);
                    case ":is", ":contains", ":matches", ":regex" -> matchType = once(matchType, tag, context);
                    case ":value", ":count" -> {
                        matchType = once(matchType, tag, context);
                        relation = single(args, ++i, tag, context).toLowerCase(Locale.ROOT);
                        if (!Set.of("gt", "ge", "lt", "le", "eq", "ne").contains(relation)) {
                            throw error(context, "invalid relational operator \"" + relation + "\"");
                        }
                    }
                    case ":all", ":localpart", ":domain" -> {
                        if (!addressParts) {
                            throw error(context, "unexpected tag " + tag);
                        }
                        addressPart = once(addressPart, tag, context);
                    }
                    default -> {
                        if (!ownTags.contains(tag)) {
                            throw error(context, "unexpected tag " + tag);
                        }
                        extra.add(tag);
                    }
                }
            } else if (a instanceof StringListArgument s) {
                strings.add(s.getList());
            } else if (a instanceof NumberArgument n) {
                throw error(context, "unexpected number " + n.getInteger());
            }
        }
        if (comparator == null) {
            comparator = Comparators.CASEMAP;
        } else if (!Comparators.known(comparator)) {
            throw error(context, "unknown comparator \"" + comparator + "\"");
        }
        return new MatchSpec(comparator, matchType == null ? ":is" : matchType, relation,
                addressPart == null ? ":all" : addressPart, extra, strings);
    }

    private static String once(String current, String tag, SieveContext context) throws SyntaxException {
        if (current != null) {
            throw error(context, "only one of " + current + " and " + tag + " may be given");
        }
        return tag;
    }

    private static String single(List<Argument> args, int i, String tag, SieveContext context) throws SyntaxException {
        if (i >= args.size() || !(args.get(i) instanceof StringListArgument s) || s.getList().size() != 1) {
            throw error(context, tag + " needs one string");
        }
        return s.getList().get(0);
    }

    static SyntaxException error(SieveContext context, String message) {
        return context == null || context.getCoordinate() == null ? new SyntaxException(message)
                : context.getCoordinate().syntaxException(message);
    }

    /** The n-th positional string list, or a syntax error naming what was expected. */
    List<String> strings(int n, String what, SieveContext context) throws SyntaxException {
        if (n >= strings.size()) {
            throw error(context, "missing " + what);
        }
        return strings.get(n);
    }

    void expectStrings(int count, SieveContext context) throws SyntaxException {
        if (strings.size() != count) {
            throw error(context, "expected " + count + " string lists, found " + strings.size());
        }
    }
}

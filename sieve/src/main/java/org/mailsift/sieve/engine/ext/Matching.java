package org.mailsift.sieve.engine.ext;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.apache.jsieve.SieveContext;
import org.apache.jsieve.exception.SyntaxException;
import org.mailsift.sieve.engine.SieveMail;

/**
 * Evaluates a match test: values (header values, addresses, envelope parts...) against keys, with the match type
 * and comparator of a {@link MatchSpec}. A successful :matches or :regex sets the match variables ${0}..${9}
 * (RFC 5229 section 3.2).
 */
final class Matching {
    private Matching() {
    }

    static boolean test(SieveMail mail, MatchSpec spec, List<String> values, List<String> rawKeys, SieveContext context)
            throws SyntaxException {
        List<String> keys = mail.expandAll(rawKeys);
        if (spec.matchType().equals(":count")) {
            String count = Integer.toString(values.size());
            for (String key : keys) {
                if (Comparators.relation(spec.relation(), Comparators.order(spec.comparator(), count, key))) {
                    return true;
                }
            }
            return false;
        }
        for (String value : values) {
            for (String key : keys) {
                if (matchOne(mail, spec, value, key, context)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean matchOne(SieveMail mail, MatchSpec spec, String value, String key, SieveContext context)
            throws SyntaxException {
        String cmp = spec.comparator();
        switch (spec.matchType()) {
            case ":is":
                return Comparators.equal(cmp, value, key);
            case ":contains":
                return Comparators.fold(cmp, value).contains(Comparators.fold(cmp, key));
            case ":value":
                return Comparators.relation(spec.relation(), Comparators.order(cmp, value, key));
            case ":matches":
                return capture(mail, globToRegex(key, Comparators.caseInsensitive(cmp)).matcher(value), true);
            case ":regex":
                try {
                    int flags = Comparators.caseInsensitive(cmp) ? Pattern.CASE_INSENSITIVE : 0;
                    return capture(mail, Pattern.compile(key, flags | Pattern.DOTALL).matcher(value), false);
                } catch (PatternSyntaxException e) {
                    throw MatchSpec.error(context, "invalid regular expression \"" + key + "\": " + e.getDescription());
                }
            default:
                throw MatchSpec.error(context, "unknown match type " + spec.matchType());
        }
    }

    private static boolean capture(SieveMail mail, Matcher m, boolean whole) {
        boolean ok = whole ? m.matches() : m.find();
        if (ok) {
            List<String> groups = new ArrayList<>();
            for (int g = 0; g <= Math.min(m.groupCount(), 9); g++) {
                groups.add(m.group(g) == null ? "" : m.group(g));
            }
            mail.setMatchValues(groups);
        }
        return ok;
    }

    /**
     * Sieve wildcards to a Java regex: "*" is a shortest-match group, "?" one character, "\" quotes the next one.
     * Each wildcard is a capture group, so ${1}.. hold what they matched.
     */
    static Pattern globToRegex(String glob, boolean caseInsensitive) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                re.append("(.*?)");
            } else if (c == '?') {
                re.append("(.)");
            } else {
                if (c == '\\' && i + 1 < glob.length()) {
                    c = glob.charAt(++i);
                }
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL | (caseInsensitive ? Pattern.CASE_INSENSITIVE : 0));
    }

    /** The part of an address an address-part tag selects (domain compared case-insensitively by the comparator). */
    static String addressPart(String address, String part) {
        int at = address.lastIndexOf('@');
        return switch (part) {
            case ":localpart" -> at < 0 ? address : address.substring(0, at);
            case ":domain" -> at < 0 ? "" : address.substring(at + 1);
            default -> address;
        };
    }
}

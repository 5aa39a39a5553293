package org.mailsift.sieve.engine.ext;

import java.util.List;

import org.apache.jsieve.SieveContext;
import org.apache.jsieve.exception.SieveException;
import org.mailsift.sieve.engine.SieveMail;

/** variables' {@code string [MATCH-TYPE] [COMPARATOR] <source> <keys>}; with :count, empty strings are not counted. */
public class StringTest extends MatchTest {
    @Override
    boolean evaluate(SieveMail mail, MatchSpec spec, SieveContext context) throws SieveException {
        spec.expectStrings(2, context);
        List<String> source = mail.expandAll(spec.strings(0, "source", context));
        if (spec.matchType().equals(":count")) {
            source = source.stream().filter(s -> !s.isEmpty()).toList();
        }
        return Matching.test(mail, spec, source, spec.strings(1, "keys", context), context);
    }
}

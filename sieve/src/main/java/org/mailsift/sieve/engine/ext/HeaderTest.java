package org.mailsift.sieve.engine.ext;

import java.util.ArrayList;
import java.util.List;

import org.apache.jsieve.SieveContext;
import org.apache.jsieve.exception.SieveException;
import org.mailsift.sieve.engine.SieveMail;

/** {@code header [COMPARATOR] [MATCH-TYPE] <header-names> <keys>} with relational, regex and variables support. */
public class HeaderTest extends MatchTest {
    @Override
    boolean evaluate(SieveMail mail, MatchSpec spec, SieveContext context) throws SieveException {
        spec.expectStrings(2, context);
        List<String> values = new ArrayList<>();
        for (String name : mail.expandAll(spec.strings(0, "header names", context))) {
            values.addAll(mail.message().header(name));
        }
        return Matching.test(mail, spec, values, spec.strings(1, "keys", context), context);
    }
}

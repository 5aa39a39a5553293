package org.mailsift.sieve.engine.ext;

import java.util.List;
import java.util.Set;

import org.apache.jsieve.SieveContext;
import org.apache.jsieve.exception.SieveException;
import org.mailsift.sieve.engine.SieveMail;

/**
 * RFC 5235 {@code spamtest [:percent] [COMPARATOR] [MATCH-TYPE] <value>}, fed from our scan score: "0" when the
 * message was not scanned, else 1..10 (or 0..100 with :percent, spamtestplus).
 */
public class SpamTest extends MatchTest {
    @Override
    Set<String> ownTags() {
        return Set.of(":percent");
    }

    @Override
    boolean evaluate(SieveMail mail, MatchSpec spec, SieveContext context) throws SieveException {
        spec.expectStrings(1, context);
        boolean percent = spec.extraTags().contains(":percent");
        if (percent && !mail.isRequired("spamtestplus")) {
            throw MatchSpec.error(context, ":percent needs require \"spamtestplus\"");
        }
        String value = mail.spamScore().map(s -> Integer.toString(percent ? s.percent() : s.spamtestValue())).orElse("0");
        return Matching.test(mail, spec, List.of(value), spec.strings(0, "value", context), context);
    }
}

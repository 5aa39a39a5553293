package org.mailsift.sieve.engine.ext;

import java.util.ArrayList;
import java.util.List;

import org.apache.jsieve.SieveContext;
import org.apache.jsieve.exception.SieveException;
import org.mailsift.sieve.engine.SieveMail;

/** {@code envelope [ADDRESS-PART] [COMPARATOR] [MATCH-TYPE] <envelope-part> <keys>} (RFC 5228 5.4): "from", "to". */
public class EnvelopeTest extends MatchTest {
    @Override
    boolean acceptsAddressPart() {
        return true;
    }

    @Override
    boolean evaluate(SieveMail mail, MatchSpec spec, SieveContext context) throws SieveException {
        spec.expectStrings(2, context);
        List<String> values = new ArrayList<>();
        for (String part : mail.expandAll(spec.strings(0, "envelope parts", context))) {
            for (String v : mail.getMatchingEnvelope(part)) {
                // the null reverse-path "<>" is the empty string; its local part and domain are empty too
                values.add(Matching.addressPart(v, spec.addressPart()));
            }
        }
        return Matching.test(mail, spec, values, spec.strings(1, "keys", context), context);
    }
}

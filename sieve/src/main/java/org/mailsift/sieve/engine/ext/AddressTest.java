package org.mailsift.sieve.engine.ext;

import java.util.ArrayList;
import java.util.List;

import org.apache.jsieve.SieveContext;
import org.apache.jsieve.exception.SieveException;
import org.apache.jsieve.mail.MailAdapter;
import org.mailsift.sieve.engine.SieveMail;

/** {@code address [ADDRESS-PART] [COMPARATOR] [MATCH-TYPE] <header-list> <keys>}. */
public class AddressTest extends MatchTest {
    @Override
    boolean acceptsAddressPart() {
        return true;
    }

    @Override
    boolean evaluate(SieveMail mail, MatchSpec spec, SieveContext context) throws SieveException {
        spec.expectStrings(2, context);
        List<String> values = new ArrayList<>();
        for (String name : mail.expandAll(spec.strings(0, "header names", context))) {
            for (MailAdapter.Address a : mail.parseAddresses(name)) {
                String full = a.getDomain().isEmpty() ? a.getLocalPart() : a.getLocalPart() + "@" + a.getDomain();
                values.add(Matching.addressPart(full, spec.addressPart()));
            }
        }
        return Matching.test(mail, spec, values, spec.strings(1, "keys", context), context);
    }
}

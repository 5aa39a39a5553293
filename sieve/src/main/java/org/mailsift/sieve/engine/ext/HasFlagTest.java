package org.mailsift.sieve.engine.ext;

import java.util.ArrayList;
import java.util.List;

import org.apache.jsieve.SieveContext;
import org.apache.jsieve.exception.SieveException;
import org.mailsift.sieve.engine.SieveMail;

/** imap4flags' {@code hasflag [MATCH-TYPE] [COMPARATOR] <list-of-flags>} against the internal flags variable. */
public class HasFlagTest extends MatchTest {
    @Override
    boolean evaluate(SieveMail mail, MatchSpec spec, SieveContext context) throws SieveException {
        if (spec.strings().size() != 1) {
            throw MatchSpec.error(context, "hasflag with a variable list is not supported; use the internal flags");
        }
        List<String> values = new ArrayList<>(mail.flags());
        return Matching.test(mail, spec, values, FlagCommand.split(mail.expandAll(spec.strings().get(0))), context);
    }
}

package org.mailsift.sieve.engine.ext;

import java.util.Set;

import org.apache.jsieve.Arguments;
import org.apache.jsieve.SieveContext;
import org.apache.jsieve.exception.SieveException;
import org.apache.jsieve.mail.MailAdapter;
import org.apache.jsieve.tests.AbstractTest;
import org.mailsift.sieve.engine.SieveMail;

/** Base of our match tests: parses the common arguments once, then asks the subclass for the values to match. */
abstract class MatchTest extends AbstractTest {

    /** Tags this test accepts besides the common ones. */
    Set<String> ownTags() {
        return Set.of();
    }

    boolean acceptsAddressPart() {
        return false;
    }

    abstract boolean evaluate(SieveMail mail, MatchSpec spec, SieveContext context) throws SieveException;

    @Override
    protected boolean executeBasic(MailAdapter mail, Arguments arguments, SieveContext context) throws SieveException {
        if (arguments.hasTests()) {
            throw MatchSpec.error(context, "unexpected tests");
        }
        MatchSpec spec = MatchSpec.parse(arguments.getArgumentList(), ownTags(), acceptsAddressPart(), context);
        return evaluate(Extensions.sieveMail(mail, context), spec, context);
    }

    @Override
    protected void validateArguments(Arguments arguments, SieveContext context) {
        // parsed in executeBasic, where the mail (and so the variables) is available
    }
}

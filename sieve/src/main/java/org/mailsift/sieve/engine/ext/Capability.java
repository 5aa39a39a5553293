package org.mailsift.sieve.engine.ext;

import org.apache.jsieve.Arguments;
import org.apache.jsieve.SieveContext;
import org.apache.jsieve.exception.SieveException;
import org.apache.jsieve.mail.MailAdapter;
import org.apache.jsieve.tests.AbstractTest;

/** A capability name for {@code require}; it is not a test, so using it as one is an error. */
public class Capability extends AbstractTest {
    @Override
    protected boolean executeBasic(MailAdapter mail, Arguments arguments, SieveContext context) throws SieveException {
        throw MatchSpec.error(context, "a capability name is not a test");
    }
}

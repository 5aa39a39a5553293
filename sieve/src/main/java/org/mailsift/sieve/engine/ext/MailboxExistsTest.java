package org.mailsift.sieve.engine.ext;

import org.apache.jsieve.SieveContext;
import org.apache.jsieve.exception.SieveException;
import org.mailsift.sieve.engine.SieveMail;

/** mailbox's {@code mailboxexists <mailbox-names>}: true when every named mailbox exists. */
public class MailboxExistsTest extends MatchTest {
    @Override
    boolean evaluate(SieveMail mail, MatchSpec spec, SieveContext context) throws SieveException {
        spec.expectStrings(1, context);
        for (String name : mail.expandAll(spec.strings(0, "mailbox names", context))) {
            if (!mail.mailboxExists(name)) {
                return false;
            }
        }
        return true;
    }
}

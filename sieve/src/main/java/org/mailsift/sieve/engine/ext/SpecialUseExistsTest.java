package org.mailsift.sieve.engine.ext;

import java.util.List;

import org.apache.jsieve.SieveContext;
import org.apache.jsieve.exception.SieveException;
import org.mailsift.sieve.engine.SieveMail;

/** special-use's {@code specialuse_exists [<mailbox>] <special-use-flags>}: every flag maps to an existing mailbox. */
public class SpecialUseExistsTest extends MatchTest {
    @Override
    boolean evaluate(SieveMail mail, MatchSpec spec, SieveContext context) throws SieveException {
        List<List<String>> s = spec.strings();
        if (s.isEmpty() || s.size() > 2) {
            throw MatchSpec.error(context, "specialuse_exists needs [mailbox] and a list of special-use flags");
        }
        String mailbox = s.size() == 2 ? mail.expand(s.get(0).get(0)) : null;
        for (String flag : mail.expandAll(s.get(s.size() - 1))) {
            String target = mail.mailboxForSpecialUse(flag).orElse(null);
            if (target == null || !mail.mailboxExists(target) || (mailbox != null && !mailbox.equals(target))) {
                return false;
            }
        }
        return true;
    }
}

package org.mailsift.sieve.engine.ext;

import org.apache.jsieve.Arguments;
import org.apache.jsieve.Block;
import org.apache.jsieve.SieveContext;
import org.apache.jsieve.commands.Stop;
import org.apache.jsieve.exception.SieveException;
import org.apache.jsieve.mail.MailAdapter;

/** stop, remembered so a "before" script that stops ends the whole script sequence (as in Dovecot). */
public class StopCommand extends Stop {
    @Override
    protected Object executeBasic(MailAdapter mail, Arguments arguments, Block block, SieveContext context) throws SieveException {
        Extensions.sieveMail(mail, context).markStopped();
        return super.executeBasic(mail, arguments, block, context);
    }
}

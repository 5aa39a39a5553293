package org.mailsift.sieve.engine.ext;

import org.apache.jsieve.Arguments;
import org.apache.jsieve.Block;
import org.apache.jsieve.SieveContext;
import org.apache.jsieve.StringListArgument;
import org.apache.jsieve.commands.Require;
import org.apache.jsieve.exception.SieveException;
import org.apache.jsieve.mail.MailAdapter;

/** jSieve's require, which also tells the run which capabilities were required (variables expand only then). */
public class RequireCommand extends Require {
    @Override
    protected Object executeBasic(MailAdapter mail, Arguments arguments, Block block, SieveContext context) throws SieveException {
        Object result = super.executeBasic(mail, arguments, block, context);
        var sieveMail = Extensions.sieveMail(mail, context);
        for (String capability : ((StringListArgument) arguments.getArgumentList().get(0)).getList()) {
            sieveMail.required(capability);
        }
        return result;
    }
}

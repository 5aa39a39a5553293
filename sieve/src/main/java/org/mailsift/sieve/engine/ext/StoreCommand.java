package org.mailsift.sieve.engine.ext;

import java.util.Set;

import org.apache.jsieve.Arguments;
import org.apache.jsieve.Block;
import org.apache.jsieve.SieveContext;
import org.apache.jsieve.commands.AbstractActionCommand;
import org.apache.jsieve.exception.SieveException;
import org.apache.jsieve.mail.Action;
import org.apache.jsieve.mail.MailAdapter;
import org.mailsift.sieve.engine.SieveMail;

/**
 * Base of the action commands. {@code :copy} (RFC 3894) keeps the implicit keep that every other action cancels:
 * jSieve's updateState runs after the action, so the previous state is remembered and restored.
 */
abstract class StoreCommand extends AbstractActionCommand {
    private boolean copy;
    private boolean keepBefore;

    abstract Set<String> singleTags();

    abstract Set<String> valueTags();

    abstract Action action(SieveMail mail, ActionArguments args, SieveContext context) throws SieveException;

    @Override
    protected Object executeBasic(MailAdapter mail, Arguments arguments, Block block, SieveContext context) throws SieveException {
        if (arguments.hasTests()) {
            throw MatchSpec.error(context, "unexpected test after the arguments (missing ';'?)");
        }
        SieveMail m = Extensions.sieveMail(mail, context);
        ActionArguments args = ActionArguments.parse(arguments.getArgumentList(), singleTags(), valueTags(), context);
        copy = args.flags().contains(":copy");
        if (copy && !m.isRequired("copy")) {
            throw MatchSpec.error(context, ":copy needs require \"copy\"");
        }
        keepBefore = context.getCommandStateManager().isImplicitKeep();
        Action action = action(m, args, context);
        if (action != null && !m.getActions().contains(action)) {
            m.addAction(action); // duplicates are one action (RFC 5228 4.2)
        }
        return null;
    }

    @Override
    protected void updateState(SieveContext context) {
        super.updateState(context);
        if (copy) {
            context.getCommandStateManager().setImplicitKeep(keepBefore);
        }
    }

    @Override
    protected void validateArguments(Arguments arguments, SieveContext context) {
        // parsed in executeBasic
    }

    /** The flags for a store: :flags when given (expanded), else the internal variable (RFC 5232 section 5). */
    static Set<String> storeFlags(SieveMail mail, ActionArguments args, SieveContext context) throws SieveException {
        if (args.valued().containsKey(":flags")) {
            if (!mail.isRequired("imap4flags")) {
                throw MatchSpec.error(context, ":flags needs require \"imap4flags\"");
            }
            return Set.copyOf(FlagCommand.split(mail.expandAll(args.valued().get(":flags"))));
        }
        return mail.flags();
    }
}

package org.mailsift.sieve.engine.ext;

import java.util.Set;

import org.apache.jsieve.SieveContext;
import org.apache.jsieve.exception.CommandException;
import org.apache.jsieve.exception.SieveException;
import org.apache.jsieve.mail.Action;
import org.mailsift.sieve.engine.SieveActions;
import org.mailsift.sieve.engine.SieveMail;

/** RFC 5429 {@code reject <reason>}: refuses the message; it cannot be combined with keep/fileinto/redirect. */
public class RejectCommand extends StoreCommand {
    boolean extended() {
        return false;
    }

    @Override
    Set<String> singleTags() {
        return Set.of();
    }

    @Override
    Set<String> valueTags() {
        return Set.of();
    }

    @Override
    protected void validateState(SieveContext context) throws CommandException {
        super.validateState(context);
        if (context.getCommandStateManager().isHasActions()) {
            throw context.getCoordinate().commandException("reject cannot be combined with other actions");
        }
    }

    @Override
    protected void updateState(SieveContext context) {
        super.updateState(context);
        context.getCommandStateManager().setRejected(true);
    }

    @Override
    Action action(SieveMail mail, ActionArguments args, SieveContext context) throws SieveException {
        args.expectPositional(1, context);
        return new SieveActions.Reject(mail.expand(args.single(0, "reason", context)), extended());
    }
}

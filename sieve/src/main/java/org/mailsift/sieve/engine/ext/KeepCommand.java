package org.mailsift.sieve.engine.ext;

import java.util.Set;

import org.apache.jsieve.SieveContext;
import org.apache.jsieve.exception.SieveException;
import org.apache.jsieve.mail.Action;
import org.mailsift.sieve.engine.SieveActions;
import org.mailsift.sieve.engine.SieveMail;

/** {@code keep [:flags <list>]}. */
public class KeepCommand extends StoreCommand {
    @Override
    Set<String> singleTags() {
        return Set.of();
    }

    @Override
    Set<String> valueTags() {
        return Set.of(":flags");
    }

    @Override
    Action action(SieveMail mail, ActionArguments args, SieveContext context) throws SieveException {
        args.expectPositional(0, context);
        return new SieveActions.Store(null, storeFlags(mail, args, context), false, null);
    }
}

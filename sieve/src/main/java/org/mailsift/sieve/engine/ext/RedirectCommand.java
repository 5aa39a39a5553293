package org.mailsift.sieve.engine.ext;

import java.util.Set;

import org.apache.jsieve.SieveContext;
import org.apache.jsieve.exception.SieveException;
import org.apache.jsieve.mail.Action;
import org.mailsift.sieve.engine.SieveActions;
import org.mailsift.sieve.engine.SieveMail;

/** {@code redirect [:copy] <address>}. */
public class RedirectCommand extends StoreCommand {
    @Override
    Set<String> singleTags() {
        return Set.of(":copy");
    }

    @Override
    Set<String> valueTags() {
        return Set.of();
    }

    @Override
    Action action(SieveMail mail, ActionArguments args, SieveContext context) throws SieveException {
        args.expectPositional(1, context);
        String address = mail.expand(args.single(0, "address", context)).trim();
        if (!address.matches("[^\\s<>@]+@[^\\s<>@]+")) {
            throw MatchSpec.error(context, "redirect needs a plain address, got \"" + address + "\"");
        }
        return new SieveActions.Redirect(address, args.flags().contains(":copy"));
    }
}

package org.mailsift.sieve.engine.ext;

import java.util.List;
import java.util.Set;

import org.apache.jsieve.SieveContext;
import org.apache.jsieve.exception.SieveException;
import org.apache.jsieve.mail.Action;
import org.mailsift.sieve.engine.SieveActions;
import org.mailsift.sieve.engine.SieveMail;

/** {@code fileinto [:copy] [:create] [:flags <list>] [:specialuse <flag>] <mailbox>}. */
public class FileIntoCommand extends StoreCommand {
    @Override
    Set<String> singleTags() {
        return Set.of(":copy", ":create");
    }

    @Override
    Set<String> valueTags() {
        return Set.of(":flags", ":specialuse");
    }

    @Override
    Action action(SieveMail mail, ActionArguments args, SieveContext context) throws SieveException {
        args.expectPositional(1, context);
        String mailbox = mail.expand(args.single(0, "mailbox", context));
        boolean create = args.flags().contains(":create");
        if (create && !mail.isRequired("mailbox")) {
            throw MatchSpec.error(context, ":create needs require \"mailbox\"");
        }
        String specialUse = null;
        if (args.valued().containsKey(":specialuse")) {
            if (!mail.isRequired("special-use")) {
                throw MatchSpec.error(context, ":specialuse needs require \"special-use\"");
            }
            List<String> su = args.valued().get(":specialuse");
            if (su.size() != 1) {
                throw MatchSpec.error(context, ":specialuse takes one flag");
            }
            specialUse = mail.expand(su.get(0));
        }
        return new SieveActions.Store(mailbox, storeFlags(mail, args, context), create, specialUse);
    }
}

package org.mailsift.sieve.engine;

import java.util.List;
import java.util.Set;

import org.apache.jsieve.mail.Action;

/**
 * What one script decided.
 *
 * @param actions      the explicit actions, in order
 * @param implicitKeep whether no action cancelled the implicit keep
 * @param keepFlags    the imap4flags internal variable at the end (the implicit keep stores with these flags)
 * @param stopped      whether the script executed {@code stop}
 */
public record SieveRun(List<Action> actions, boolean implicitKeep, Set<String> keepFlags, boolean stopped) {
    public SieveRun {
        actions = List.copyOf(actions);
        keepFlags = Set.copyOf(keepFlags);
    }

    /** The actions with the implicit keep added as a store into the default mailbox. */
    public List<Action> effectiveActions() {
        if (!implicitKeep) {
            return actions;
        }
        List<Action> out = new java.util.ArrayList<>(actions);
        out.add(new SieveActions.Store(null, keepFlags, false, null));
        return out;
    }
}

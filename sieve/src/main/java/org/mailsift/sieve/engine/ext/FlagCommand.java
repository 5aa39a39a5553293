package org.mailsift.sieve.engine.ext;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.apache.jsieve.Arguments;
import org.apache.jsieve.Block;
import org.apache.jsieve.SieveContext;
import org.apache.jsieve.commands.AbstractCommand;
import org.apache.jsieve.exception.SieveException;
import org.apache.jsieve.mail.MailAdapter;
import org.mailsift.sieve.engine.SieveMail;

/**
 * imap4flags' setflag / addflag / removeflag on the internal flags variable (the form with a variable name as
 * first argument is not supported). These are not actions: they do not cancel the implicit keep.
 */
public abstract class FlagCommand extends AbstractCommand {

    abstract void apply(TreeSet<String> flags, List<String> given);

    @Override
    protected Object executeBasic(MailAdapter mail, Arguments arguments, Block block, SieveContext context) throws SieveException {
        SieveMail m = Extensions.sieveMail(mail, context);
        if (!m.isRequired("imap4flags")) {
            throw MatchSpec.error(context, "setflag/addflag/removeflag need require \"imap4flags\"");
        }
        if (arguments.hasTests()) {
            throw MatchSpec.error(context, "unexpected test after the arguments (missing ';'?)");
        }
        ActionArguments args = ActionArguments.parse(arguments.getArgumentList(), java.util.Set.of(), java.util.Set.of(), context);
        if (args.positional().size() != 1) {
            throw MatchSpec.error(context, "flag commands with a variable name are not supported; give only the flag list");
        }
        TreeSet<String> flags = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        flags.addAll(m.flags());
        apply(flags, split(m.expandAll(args.positional().get(0))));
        m.setFlags(flags);
        return null;
    }

    @Override
    protected void validateArguments(Arguments arguments, SieveContext context) {
        // parsed in executeBasic
    }

    /** Flag lists may hold several space-separated flags per string (RFC 5232 section 3). */
    static List<String> split(List<String> strings) {
        List<String> out = new ArrayList<>();
        for (String s : strings) {
            for (String f : s.trim().split("\\s+")) {
                if (!f.isEmpty()) {
                    out.add(f);
                }
            }
        }
        return out;
    }

    /** setflag: replace. */
    public static class Set extends FlagCommand {
        @Override
        void apply(TreeSet<String> flags, List<String> given) {
            flags.clear();
            flags.addAll(given);
        }
    }

    /** addflag: union. */
    public static class Add extends FlagCommand {
        @Override
        void apply(TreeSet<String> flags, List<String> given) {
            flags.addAll(given);
        }
    }

    /** removeflag: difference. */
    public static class Remove extends FlagCommand {
        @Override
        void apply(TreeSet<String> flags, List<String> given) {
            given.forEach(flags::remove);
        }
    }
}

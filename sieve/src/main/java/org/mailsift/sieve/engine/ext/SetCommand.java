package org.mailsift.sieve.engine.ext;

import java.util.Locale;

import org.apache.jsieve.Arguments;
import org.apache.jsieve.Block;
import org.apache.jsieve.SieveContext;
import org.apache.jsieve.commands.AbstractCommand;
import org.apache.jsieve.exception.SieveException;
import org.apache.jsieve.mail.MailAdapter;
import org.mailsift.sieve.engine.SieveMail;

/** variables' {@code set [MODIFIER...] <name> <value>} with :lower :upper :lowerfirst :upperfirst :quotewildcard :length. */
public class SetCommand extends AbstractCommand {
    private static final java.util.Set<String> MODIFIERS = java.util.Set.of(":lower", ":upper", ":lowerfirst", ":upperfirst", ":quotewildcard", ":length");

    @Override
    protected Object executeBasic(MailAdapter mail, Arguments arguments, Block block, SieveContext context) throws SieveException {
        SieveMail m = Extensions.sieveMail(mail, context);
        if (!m.isRequired("variables")) {
            throw MatchSpec.error(context, "set needs require \"variables\"");
        }
        if (arguments.hasTests()) {
            throw MatchSpec.error(context, "unexpected test after the arguments (missing ';'?)");
        }
        ActionArguments args = ActionArguments.parse(arguments.getArgumentList(), MODIFIERS, java.util.Set.of(), context);
        args.expectPositional(2, context);
        String name = args.single(0, "variable name", context);
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw MatchSpec.error(context, "invalid variable name \"" + name + "\"");
        }
        String value = m.expand(args.single(1, "value", context));
        // RFC 5229 4.1: precedence 40 (lower/upper), 30 (lowerfirst/upperfirst), 20 (quotewildcard), 10 (length)
        var f = args.flags();
        if (f.contains(":lower")) {
            value = value.toLowerCase(Locale.ROOT);
        }
        if (f.contains(":upper")) {
            value = value.toUpperCase(Locale.ROOT);
        }
        if (!value.isEmpty() && f.contains(":lowerfirst")) {
            value = value.substring(0, 1).toLowerCase(Locale.ROOT) + value.substring(1);
        }
        if (!value.isEmpty() && f.contains(":upperfirst")) {
            value = value.substring(0, 1).toUpperCase(Locale.ROOT) + value.substring(1);
        }
        if (f.contains(":quotewildcard")) {
            value = value.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?");
        }
        if (f.contains(":length")) {
            value = Integer.toString(value.codePointCount(0, value.length()));
        }
        m.setVariable(name, value);
        return null;
    }

    @Override
    protected void validateArguments(Arguments arguments, SieveContext context) {
        // parsed in executeBasic
    }
}

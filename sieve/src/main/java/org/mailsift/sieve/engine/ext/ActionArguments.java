package org.mailsift.sieve.engine.ext;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.jsieve.Argument;
import org.apache.jsieve.SieveContext;
import org.apache.jsieve.StringListArgument;
import org.apache.jsieve.TagArgument;
import org.apache.jsieve.exception.SyntaxException;

/** Tags and positional strings of an action command, checked against the tags the command accepts. */
record ActionArguments(Set<String> flags, Map<String, List<String>> valued, List<List<String>> positional) {

    /**
     * @param singleTags tags without a value (":copy", ":create")
     * @param valueTags  tags followed by one string list (":flags", ":specialuse")
     */
    static ActionArguments parse(List<Argument> args, Set<String> singleTags, Set<String> valueTags, SieveContext context)
            throws SyntaxException {
        Set<String> flags = new java.util.HashSet<>();
        Map<String, List<String>> valued = new HashMap<>();
        List<List<String>> positional = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            Argument a = args.get(i);
            if (a instanceof TagArgument t) {
                String tag = t.getTag().toLowerCase(Locale.ROOT);
                if (singleTags.contains(tag)) {
                    flags.add(tag);
                } else if (valueTags.contains(tag)) {
                    if (i + 1 >= args.size() || !(args.get(i + 1) instanceof StringListArgument s)) {
                        throw MatchSpec.error(context, tag + " needs a string list");
                    }
                    valued.put(tag, s.getList());
                    i++;
                } else {
                    throw MatchSpec.error(context, "unexpected tag " + tag);
                }
            } else if (a instanceof StringListArgument s) {
                positional.add(s.getList());
            } else {
                throw MatchSpec.error(context, "unexpected argument " + a);
            }
        }
        return new ActionArguments(flags, valued, positional);
    }

    String single(int index, String what, SieveContext context) throws SyntaxException {
        if (positional.size() <= index || positional.get(index).size() != 1) {
            throw MatchSpec.error(context, "expected one string: " + what);
        }
        return positional.get(index).get(0);
    }

    void expectPositional(int count, SieveContext context) throws SyntaxException {
        if (positional.size() != count) {
            throw MatchSpec.error(context, "expected " + count + " positional arguments, found " + positional.size());
        }
    }
}

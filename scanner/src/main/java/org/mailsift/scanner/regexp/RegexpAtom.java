package org.mailsift.scanner.regexp;

import java.util.List;
/** One atom of a regexp rule's expression. */
public sealed interface RegexpAtom {
    /** The atom as written (the per-scan cache key: equal atoms in several rules run once). */
    String text();

    /**
     * A regexp: {@code Subject=/re/i}, {@code /re/{body}}...
     *
     * @param header   the header name for header types, the selector's name for {@code {selector}}, else null
     * @param multiple Rspamd's {@code A} flag: the value is the number of matches, not 0/1
     * @param strong   Rspamd's {@code S} flag: the header name's case must match too
     * @param required case-folded literals one of which every match contains (see RequiredLiterals), or null
     */
    record Match(String text, RegexpType type, String header, GuardedRegex regex, boolean multiple, boolean strong,
                 java.util.Set<String> required) implements RegexpAtom {
    }

    /** One of Rspamd's internal functions, {@code header_exists(Subject)}. */
    record Function(String text, String name, List<String> args) implements RegexpAtom {
    }

    /** A bare name: a named atom of {@code atoms { }} or another regexp rule's symbol. */
    record Reference(String text) implements RegexpAtom {
    }
}

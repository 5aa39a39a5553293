package org.mailsift.sieve.engine.ext;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import org.apache.jsieve.SieveContext;
import org.apache.jsieve.exception.SieveException;
import org.mailsift.sieve.engine.SieveMail;

/**
 * RFC 5173 {@code body [COMPARATOR] [MATCH-TYPE] [:raw | :content <types> | :text] <keys>}. The body is one
 * value: the decoded text parts (:text, the default), the undecoded body (:raw), or the parts of the given types.
 */
public class BodyTest extends MatchTest {
    @Override
    Set<String> ownTags() {
        return Set.of(":raw", ":text", ":content");
    }

    @Override
    boolean evaluate(SieveMail mail, MatchSpec spec, SieveContext context) throws SieveException {
        String value;
        List<String> keys;
        if (spec.extraTags().contains(":content")) {
            spec.expectStrings(2, context);
            value = mail.message().text(mail.expandAll(spec.strings(0, "content types", context)));
            keys = spec.strings(1, "keys", context);
        } else {
            spec.expectStrings(1, context);
            value = spec.extraTags().contains(":raw") ? new String(mail.message().body(), StandardCharsets.ISO_8859_1)
                    : mail.message().text(List.of("text"));
            keys = spec.strings(0, "keys", context);
        }
        return Matching.test(mail, spec, List.of(value), keys, context);
    }
}

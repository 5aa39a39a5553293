package org.mailsift.scanner.rules;

import java.time.Clock;
import java.util.List;

import org.mailsift.scanner.settings.OptionsSettings;

/** The built-in rule set, in run order (GTUBE first: it ends the scan). */
public final class StandardRules {
    private StandardRules() {
    }

    public static List<Rule> create(OptionsSettings options, Clock clock) {
        return List.of(
                new GtubeRule(options.enableTestPatterns()),
                new MissingHeaderRules(),
                new MessageIdRules(),
                new DateRules(clock),
                new FromRules(),
                new RecipientRules(),
                new ReceivedRules(),
                new ReplyToRules(),
                new SubjectRules(),
                new MimeStructureRules(),
                new AttachmentRules(),
                new UrlRules(),
                new HtmlRules(),
                new PartsDifferRule());
    }
}

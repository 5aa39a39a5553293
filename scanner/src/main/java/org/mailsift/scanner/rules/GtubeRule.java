package org.mailsift.scanner.rules;

import java.util.List;

import org.mailsift.core.message.ParsedMessage;
import org.mailsift.core.scan.Action;

/**
 * GTUBE, the Generic Test for Unsolicited Bulk Email: the standard pattern forces reject with "Gtube pattern", as in
 * Rspamd. With {@code enable_test_patterns} the Rspamd variants for add header (YJS...), rewrite subject (ZJS...) and no
 * action (AJS...) are honoured too. Only text parts up to 8 KB are searched, as Rspamd does.
 */
public final class GtubeRule implements Rule {
    private static final String TAIL = "JS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";
    private static final int MAX_CHECK = 8 * 1024;
    private final boolean testPatterns;

    public GtubeRule(boolean testPatterns) {
        this.testPatterns = testPatterns;
    }

    @Override
    public List<SymbolDefinition> symbols() {
        return List.of(Symbols.def("GTUBE", "gtube", 0.0, "GTUBE test pattern"));
    }

    @Override
    public void check(ScanContext ctx) {
        for (ParsedMessage.TextPart p : ctx.message().textParts()) {
            String text = p.isHtml() ? p.html() : p.text();
            if (text.length() > MAX_CHECK || text.length() < TAIL.length()) {
                continue;
            }
            int at = text.indexOf(TAIL);
            if (at < 1) {
                continue;
            }
            Action action = switch (text.charAt(at - 1)) {
                case 'X' -> Action.REJECT;
                case 'Y' -> testPatterns ? Action.ADD_HEADER : null;
                case 'Z' -> testPatterns ? Action.REWRITE_SUBJECT : null;
                case 'A' -> testPatterns ? Action.NO_ACTION : null;
                default -> null;
            };
            if (action != null) {
                ctx.insert("GTUBE", 0.0, List.of());
                ctx.forceAction(action, "Gtube pattern");
                return;
            }
        }
    }
}

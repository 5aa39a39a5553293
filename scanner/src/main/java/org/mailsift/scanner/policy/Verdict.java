package org.mailsift.scanner.policy;

import java.util.ArrayList;
import java.util.List;

import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.SymbolResult;

/**
 * The verdict a {@link PostScanStep} sees and returns: score, action, symbols and the pre-result (an action forced by a
 * module, with its SMTP message), as Rspamd's post-filters see the task.
 *
 * @param score        the total score (a forced action leaves it as computed, as Rspamd's set_pre_result without a score)
 * @param action       the action the message gets
 * @param symbols      the symbols that fired, with their final scores
 * @param forcedAction the pre-result's action, or null when the action follows from the score
 * @param forcedBy     the module that forced it (X-Rspamd-Pre-Result's module=), or null
 * @param smtpMessage  the SMTP reply text for the forced action, or null
 */
public record Verdict(double score, Action action, List<SymbolResult> symbols, Action forcedAction, String forcedBy,
                      String smtpMessage) {

    public Verdict {
        symbols = List.copyOf(symbols);
    }

    /** Whether a module already forced the action (Rspamd's task:has_pre_result()). */
    public boolean hasPreResult() {
        return forcedAction != null;
    }

    public boolean hasSymbol(String name) {
        return symbols.stream().anyMatch(s -> s.name().equals(name));
    }

    /** Forces {@code forced} with an SMTP message, as a pre-result of module {@code by}; the score stays. */
    public Verdict force(Action forced, String message, String by) {
        return new Verdict(score, forced, symbols, forced, by, message);
    }

    /** The action the score alone would not give, without a pre-result (e.g. greylist downgraded to no action). */
    public Verdict withAction(Action changed) {
        return new Verdict(score, changed, symbols, forcedAction, forcedBy, smtpMessage);
    }

    /** Adds a symbol (a post-filter's, e.g. GREYLIST with score 0); its score is added to the total. */
    public Verdict withSymbol(SymbolResult symbol) {
        List<SymbolResult> more = new ArrayList<>(symbols);
        more.removeIf(s -> s.name().equals(symbol.name()));
        more.add(symbol);
        return new Verdict(score + symbol.score(), action, more, forcedAction, forcedBy, smtpMessage);
    }
}

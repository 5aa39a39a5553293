package org.mailsift.scanner.eval;

import java.util.Map;

import org.mailsift.core.learn.LearnClass;
import org.mailsift.core.scan.Action;

/**
 * One test message as the full engine scored it.
 *
 * @param label    what it really is
 * @param action   the action the engine chose
 * @param score    the final score
 * @param factors  each symbol that fired with its runtime factor (score / weight; 1 for a weight of 0): the
 *                 features a weight fit needs
 * @param evidence the Bayes statistic (NaN when Bayes was silent)
 */
public record ScoredSample(String file, LearnClass label, Action action, double score, Map<String, Double> factors,
                           double evidence) {

    /** What puts X-Spam: Yes on a message and the shipped Sieve script into Junk. */
    public boolean flagged() {
        return action == Action.ADD_HEADER || action == Action.REWRITE_SUBJECT || action == Action.REJECT;
    }

    public boolean spam() {
        return label == LearnClass.SPAM;
    }
}

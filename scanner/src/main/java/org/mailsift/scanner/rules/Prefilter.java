package org.mailsift.scanner.rules;

/**
 * A rule that runs before all others, as Rspamd's prefilters: when it forces an action (a pre-result such as a
 * multimap {@code prefilter = true; action = "reject"}), the rules after it are skipped.
 */
public interface Prefilter extends Rule {
}

package org.mailsift.scanner.rules;

/**
 * A rule that runs before all others, as Rspamd's prefilters: the engine runs every prefilter before it starts any
 * other rule (network checks included), and when one forces an action (a pre-result such as a multimap
 * {@code prefilter = true; action = "reject"} or ratelimit's soft reject), no other rule runs.
 */
public interface Prefilter extends Rule {
    /**
     * The module the pre-result names ({@code module=} of X-Rspamd-Pre-Result, e.g. "ratelimit"), or null for the
     * rule's first symbol.
     */
    default String module() {
        return null;
    }
}

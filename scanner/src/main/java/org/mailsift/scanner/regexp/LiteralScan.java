package org.mailsift.scanner.regexp;

/** One pass over a text for the required literals of the regexps of one source (LiteralPrefilter). */
interface LiteralScan {
    /**
     * For each literal set (regexp id) with an occurrence in {@code text}, the regions its regexp has to run on
     * (see {@link Regions}); null for a set with none.
     */
    int[][] scan(String text);
}

package org.mailsift.scanner.bayes;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The tokenizer's knobs. The defaults are the ones the accuracy benchmark chose (see the Bayes note for the
 * measurements); the others exist so {@code mailsift bayes-eval} can compare variants.
 *
 * @param window         OSB window: pairs of each word with the previous {@code window - 1} words
 * @param unigrams       also emit each word on its own
 * @param minWordLength  shortest word kept
 * @param maxWordLength  longest word kept
 * @param metaHeaders    headers whose values become metatokens (Rspamd's classify_headers list by default)
 * @param envelopeHeaders also emit sender/route metatokens: From/Reply-To/Return-Path addresses and domains,
 *                        Received "from" domains, Message-ID domain, the names of the headers present
 * @param maxTextChars   text read per part (long parts are usually quoted logs or attachments gone inline)
 * @param extras         optional feature families (see {@link Extra}); the defaults are those the benchmark kept
 */
public record TokenizerSettings(int window, boolean unigrams, int minWordLength, int maxWordLength,
                                List<String> metaHeaders, boolean envelopeHeaders, int maxTextChars, Set<Extra> extras) {

    /** Feature families beyond words, pairs and the basic metatokens. */
    public enum Extra {
        /** SpamBayes' "skip" tokens: an over-long word becomes its first character and length band. */
        SKIP,
        /** URL pieces beyond the registrable domain: full host and path words (SpamBayes' url: tokens). */
        URL_PARTS,
        /** HTML tag and attribute names of the HTML source (what the text rendering throws away). */
        HTML_TAGS,
        /** Received headers: IP /24 and /16 prefixes and HELO/"by" domains, as SpamBayes and SpamAssassin do. */
        RECEIVED,
        /** Words of To/Cc display names and of the other short headers, prefixed with the header name. */
        HEADER_WORDS
    }

    public TokenizerSettings(int window, boolean unigrams, int minWordLength, int maxWordLength,
                             List<String> metaHeaders, boolean envelopeHeaders, int maxTextChars) {
        this(window, unigrams, minWordLength, maxWordLength, metaHeaders, envelopeHeaders, maxTextChars, Set.of());
    }

    public static final List<String> RSPAMD_META_HEADERS =
            List.of("User-Agent", "X-Mailer", "Content-Type", "X-MimeOLE", "Organization", "Organisation");

    /**
     * Rspamd's list plus the top-level headers SpamBayes and SpamAssassin's Bayes also tokenize: the transfer
     * encoding and the priority/precedence marks bulk mailers set.
     */
    public static final List<String> DEFAULT_META_HEADERS = List.of("User-Agent", "X-Mailer", "Content-Type",
            "X-MimeOLE", "Organization", "Organisation", "Content-Transfer-Encoding", "X-Priority", "X-MSMail-Priority",
            "Importance", "Precedence", "MIME-Version");

    /**
     * Window 2 (adjacent pairs) plus unigrams, the extended header list, and the Received, URL-part and skip
     * features: measured best over six seeded splits and the chronological one (see the Bayes note). HTML tag names
     * and generic header words were measured too and left out (worse on the chronological split).
     */
    public static TokenizerSettings defaults() {
        return new TokenizerSettings(2, true, 2, 32, DEFAULT_META_HEADERS, true, 200_000,
                EnumSet.of(Extra.RECEIVED, Extra.URL_PARTS, Extra.SKIP));
    }

    public TokenizerSettings withExtras(Set<Extra> e) {
        return new TokenizerSettings(window, unigrams, minWordLength, maxWordLength, metaHeaders, envelopeHeaders, maxTextChars,
                e.isEmpty() ? Set.of() : EnumSet.copyOf(e));
    }

    public boolean has(Extra e) {
        return extras.contains(e);
    }

    public TokenizerSettings withWindow(int w) {
        return new TokenizerSettings(w, unigrams, minWordLength, maxWordLength, metaHeaders, envelopeHeaders, maxTextChars, extras);
    }

    public TokenizerSettings withUnigrams(boolean u) {
        return new TokenizerSettings(window, u, minWordLength, maxWordLength, metaHeaders, envelopeHeaders, maxTextChars, extras);
    }

    public TokenizerSettings withEnvelopeHeaders(boolean e) {
        return new TokenizerSettings(window, unigrams, minWordLength, maxWordLength, metaHeaders, e, maxTextChars, extras);
    }

    public TokenizerSettings withWordLength(int min, int max) {
        return new TokenizerSettings(window, unigrams, min, max, metaHeaders, envelopeHeaders, maxTextChars, extras);
    }
}

package org.mailsift.scanner.bayes;

import java.util.List;

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
 */
public record TokenizerSettings(int window, boolean unigrams, int minWordLength, int maxWordLength,
                                List<String> metaHeaders, boolean envelopeHeaders, int maxTextChars) {

    public static final List<String> RSPAMD_META_HEADERS =
            List.of("User-Agent", "X-Mailer", "Content-Type", "X-MimeOLE", "Organization", "Organisation");

    /** Window 2 (adjacent pairs) plus unigrams: measured best, and cheapest (see the Bayes note). */
    public static TokenizerSettings defaults() {
        return new TokenizerSettings(2, true, 2, 32, RSPAMD_META_HEADERS, true, 200_000);
    }

    public TokenizerSettings withWindow(int w) {
        return new TokenizerSettings(w, unigrams, minWordLength, maxWordLength, metaHeaders, envelopeHeaders, maxTextChars);
    }

    public TokenizerSettings withUnigrams(boolean u) {
        return new TokenizerSettings(window, u, minWordLength, maxWordLength, metaHeaders, envelopeHeaders, maxTextChars);
    }

    public TokenizerSettings withEnvelopeHeaders(boolean e) {
        return new TokenizerSettings(window, unigrams, minWordLength, maxWordLength, metaHeaders, e, maxTextChars);
    }

    public TokenizerSettings withWordLength(int min, int max) {
        return new TokenizerSettings(window, unigrams, min, max, metaHeaders, envelopeHeaders, maxTextChars);
    }
}

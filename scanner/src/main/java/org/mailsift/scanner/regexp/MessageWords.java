package org.mailsift.scanner.regexp;

import java.text.BreakIterator;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.mailsift.core.message.ParsedMessage;

/**
 * The words {@code {words}} regexps run over, as Rspamd's tokenizer gives them (re_cache.c, RSPAMD_RE_WORDS): each
 * word of each text part, then of the Subject (Rspamd's meta words), Unicode word boundaries (java.text.BreakIterator,
 * where Rspamd uses ICU's), spaces and punctuation dropped, URLs in the text not split into words (Rspamd tokenizes
 * them as exceptions, which word regexps skip). Normalized as Rspamd's normalized words: NFKC, then lower case.
 */
final class MessageWords {
    /** Rspamd's default max_word_len: longer tokens (base64 blobs, hashes) are no words. */
    static final int MAX_WORD_LENGTH = 40;

    private MessageWords() {
    }

    /** @param normalized Rspamd's {@code {words}} (NFKC, lower case), else {@code {raw_words}} (as written) */
    static List<String> of(ParsedMessage message, int maxSize, boolean normalized) {
        List<String> out = new ArrayList<>();
        List<String> urls = message.urls().stream().filter(u -> u.length() > 3)
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
        for (ParsedMessage.TextPart part : message.textParts()) {
            String text = part.text();
            if (text != null) {
                words(withoutUrls(text.length() > maxSize ? text.substring(0, maxSize) : text, urls), normalized, out);
            }
        }
        message.subject().ifPresent(s -> words(s, normalized, out));
        return out;
    }

    /** Each word of {@code text}, normalized or not, added to {@code out}. */
    static void words(String text, boolean normalized, List<String> out) {
        BreakIterator it = BreakIterator.getWordInstance(Locale.ROOT);
        it.setText(text);
        for (int start = it.first(), end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
            if (end - start <= MAX_WORD_LENGTH && isWord(text, start, end)) {
                String word = text.substring(start, end);
                out.add(normalized ? normalize(word) : word);
            }
        }
    }

    static String normalize(String word) {
        return Normalizer.normalize(word, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    }

    private static boolean isWord(String text, int start, int end) {
        for (int i = start; i < end; i = text.offsetByCodePoints(i, 1)) {
            if (Character.isLetterOrDigit(text.codePointAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static String withoutUrls(String text, List<String> urls) {
        String out = text;
        for (String u : urls) {
            if (out.contains(u)) {
                out = out.replace(u, " ");
            }
        }
        return out;
    }
}

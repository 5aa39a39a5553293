package org.mailsift.scanner.hfilter;

import java.util.List;

import org.mailsift.core.message.ParsedMessage;

/**
 * Rspamd's hfilter link checks ({@code url_enabled}): in the message's text (its HTML part when it has one, else its
 * plain part; the last of each, as Rspamd picks them), the share of characters that are links. Over 80% gives
 * HFILTER_URL_ONLY with a runtime score growing to 1 at 100% (so 2.2 at most), and, when the text is one line,
 * HFILTER_URL_ONELINE. Links are the words starting with a scheme ({@code http://}, {@code https://},
 * {@code ftp://}, {@code mailto:}) or {@code www.}: what a reader sees as a link in the text.
 */
final class LinkOnlyText {
    private static final double THRESHOLD = 0.8;
    private static final int MAX_TEXT = 100_000;
    private static final String[] H_STARTS = {"http://", "https://"};
    private static final String[] F_STARTS = {"ftp://"};
    private static final String[] M_STARTS = {"mailto:"};
    private static final String[] W_STARTS = {"www."};

    private LinkOnlyText() {
    }

    static List<HostnameModule.Hit> check(ParsedMessage message) {
        ParsedMessage.TextPart html = null;
        ParsedMessage.TextPart plain = null;
        for (ParsedMessage.TextPart p : message.textParts()) {
            if (p.isHtml()) {
                html = p;
            } else {
                plain = p;
            }
        }
        ParsedMessage.TextPart part = html != null ? html : plain;
        if (part == null || part.text() == null || part.text().isEmpty() || part.text().length() > MAX_TEXT) {
            return List.of();
        }
        String text = part.text();
        int links = linkChars(text, THRESHOLD);
        if (links <= 0) {
            return List.of();
        }
        double rel = (double) links / text.length();
        if (rel <= THRESHOLD) {
            return List.of();
        }
        double score = Math.min(1.0, (rel - THRESHOLD) * 5.0);
        int lines = lineBreaks(text);
        String type = html != null ? "html" : "plain";
        if (lines == 1) {
            return List.of(new HostnameModule.Hit("HFILTER_URL_ONLY", score, String.valueOf(score)),
                    new HostnameModule.Hit("HFILTER_URL_ONELINE", 1.0, type + ":" + (int) Math.floor(rel) + ":" + lines));
        }
        return List.of(new HostnameModule.Hit("HFILTER_URL_ONLY", score, String.valueOf(score)));
    }

    /** Characters of the words that are links. */
    static int linkChars(String text) {
        return linkChars(text, 0);
    }

    /**
     * Characters of the words that are links, or -1 as soon as the characters left to read, were they all links,
     * could no longer make more than {@code share} of the text: a text that is not mostly links (nearly every
     * message) is read only until a fifth of it is something else.
     */
    static int linkChars(String text, double share) {
        int total = 0;
        int other = 0; // white space and words that are not links, so far
        int i = 0;
        int n = text.length();
        while (i < n) {
            int spaceStart = i;
            while (i < n && isWhitespace(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i > start && isLink(text, start, i)) {
                total += i - start;
                other += start - spaceStart;
            } else {
                other += i - spaceStart;
            }
            if (share > 0 && (double) (n - other) / n <= share) {
                return -1; // links <= n - other, so links / n <= share whatever follows
            }
        }
        return total;
    }

    /**
     * Compared in place: every word of the text passes here, so no copy is made of it. The first character picks the
     * prefixes to compare (no other character folds to an ASCII h, f, m or w), so most words cost one switch.
     */
    private static boolean isLink(String text, int start, int end) {
        if (end - start <= 4) {
            return false;
        }
        String[] starts = switch (text.charAt(start)) {
            case 'h', 'H' -> H_STARTS;
            case 'f', 'F' -> F_STARTS;
            case 'm', 'M' -> M_STARTS;
            case 'w', 'W' -> W_STARTS;
            default -> null;
        };
        if (starts == null) {
            return false;
        }
        for (String prefix : starts) {
            if (end - start > prefix.length() && text.regionMatches(true, start, prefix, 0, prefix.length())) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@link Character#isWhitespace}, with one comparison for printable ASCII (most of a text): every white-space
     * character below U+0080 is at most a space.
     */
    private static boolean isWhitespace(char c) {
        return c <= ' ' ? Character.isWhitespace(c) : c >= 0x80 && Character.isWhitespace(c);
    }

    /** Line breaks, a CR LF pair counting once, as Rspamd counts a text part's lines. */
    static int lineBreaks(String text) {
        int lines = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n')) {
                lines++;
            }
        }
        return lines;
    }
}

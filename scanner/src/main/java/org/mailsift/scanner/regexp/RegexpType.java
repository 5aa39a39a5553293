package org.mailsift.scanner.regexp;

import java.util.Locale;

/**
 * What a regexp atom is matched against, Rspamd's regexp types with their flag letters and {@code {long}} names
 * (src/libmime/mime_expressions.c, src/libserver/re_cache.c).
 */
public enum RegexpType {
    /** {@code Name=/re/}, {@code H}, {@code {header}}: the decoded values of every header field of that name. */
    HEADER,
    /** {@code X}, {@code {raw_header}}: the undecoded (unfolded) values of that header. */
    RAW_HEADER,
    /** {@code R}, {@code {all_header}}: the message's whole raw header block. */
    ALL_HEADER,
    /** {@code P}, {@code {mime}}, {@code {part}}: each text part, decoded to text (HTML without tags). */
    MIME,
    /** {@code Q}, {@code {raw_mime}}: each text part as it stands in the message, before transfer decoding. */
    RAW_MIME,
    /** {@code M}, {@code {body}}: the whole message as received, headers included. */
    BODY,
    /** {@code U}, {@code {url}}: each URL found in the text (mailto: excluded). */
    URL,
    /** {@code {email}}: each e-mail address found in the text. */
    EMAIL,
    /** {@code C}, {@code {sa_body}}: SpamAssassin's body, the Subject then each text part, line breaks as spaces. */
    SA_BODY,
    /** {@code D}, {@code {sa_raw_body}}: SpamAssassin's rawbody, each text part decoded with HTML tags kept. */
    SA_RAW_BODY,
    /** {@code {words}}: each word of the text parts and the Subject, normalized (NFKC, lower case); see MessageWords. */
    WORDS,
    /** {@code {raw_words}}: the same words as written. */
    RAW_WORDS,
    /** {@code name=/re/{selector}}, {@code $}: each value of the selector {@code name} of regexp.conf's selectors. */
    SELECTOR;

    /** The type of a flag letter, or null when the letter is no type flag. */
    static RegexpType ofLetter(char c) {
        return switch (c) {
            case 'H' -> HEADER;
            case 'X' -> RAW_HEADER;
            case 'R' -> ALL_HEADER;
            case 'P' -> MIME;
            case 'Q' -> RAW_MIME;
            case 'M' -> BODY;
            case 'U' -> URL;
            case 'C' -> SA_BODY;
            case 'D' -> SA_RAW_BODY;
            default -> null;
        };
    }

    /** The type of a {@code {long}} name; throws for the ones mailsift cannot match (stemmed words, MIME headers). */
    static RegexpType ofName(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "header" -> HEADER;
            case "raw_header", "header_raw" -> RAW_HEADER;
            case "all_header", "header_all", "all_headers" -> ALL_HEADER;
            case "mime", "part" -> MIME;
            case "raw_mime", "raw_part", "mime_raw" -> RAW_MIME;
            case "body" -> BODY;
            case "url" -> URL;
            case "email" -> EMAIL;
            case "sa_body" -> SA_BODY;
            case "sa_raw_body", "sa_body_raw" -> SA_RAW_BODY;
            case "words" -> WORDS;
            case "raw_words" -> RAW_WORDS;
            case "selector" -> SELECTOR;
            case "mime_header", "header_mime", "stem_words" ->
                    throw new IllegalArgumentException("regexp type {" + name + "} is not supported by mailsift");
            default -> throw new IllegalArgumentException("unknown regexp type {" + name + "}");
        };
    }

    boolean isHeader() {
        return this == HEADER || this == RAW_HEADER;
    }

    /** Header types name a header, {@code {selector}} a selector: {@code Name=/re/}. */
    boolean isNamed() {
        return isHeader() || this == SELECTOR;
    }
}

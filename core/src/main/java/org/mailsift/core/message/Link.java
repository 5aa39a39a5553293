package org.mailsift.core.message;

/**
 * One place a message links to, as found by its one link extraction ({@link MessageLinks}), with flags saying where
 * it was found and how it reads -- Rspamd's URL flags (html-displayed, text, image, obscured, numeric...), so each
 * consumer keeps the links it means: Bayes, regexp {@code {url}}, multimap {@code url} and the selectors read the
 * {@link #DISPLAYED} ones (as written), the DNS lists every host and address.
 *
 * @param url         as written: the attribute value (entity-decoded) or text found; for {@link #EMAIL} the address,
 *                    lower case with an ASCII domain; for {@link #SCHEMALESS} the host
 * @param flags       the bits below
 * @param host        the ASCII host (IDN to punycode, percent-decoded), or the address for {@link #NUMERIC} hosts; null
 *                    when not read ({@link #DISPLAYED}-only links) or unreadable ({@link #MALFORMED})
 * @param registrable the registrable domain (Public Suffix List); null for IP hosts, e-mail addresses and when unread
 * @param htmlIndex   for {@link #ATTRIBUTE} links: how many link attribute values its part had before its tag
 *                    (relative and script links count), so a reader bounding a part's links cuts where it always
 *                    did; -1 otherwise
 */
public record Link(String url, int flags, String host, String registrable, int htmlIndex) {
    /** The href of an {@code <a>} / {@code <area>} as the HTML reader renders it (Rspamd's html-displayed links). */
    public static final int ANCHOR = 1;
    /** An http(s) URL written in a text part (Rspamd's text-found URLs). */
    public static final int TEXT = 1 << 1;
    /** What the message parser always listed: {@link #ANCHOR} or {@link #TEXT}, in order ({@link ParsedMessage#urls()}). */
    public static final int DISPLAYED = ANCHOR | TEXT;
    /** A link attribute of any HTML tag: href, src, action, background, srcset... */
    public static final int ATTRIBUTE = 1 << 2;
    /** An attribute of an {@code <img>} tag. */
    public static final int IMAGE = 1 << 3;
    /** A word of a text part with a scheme (any scheme the DNS lists read) or {@code mailto:}. */
    public static final int WORD = 1 << 4;
    /** A bare host name in text ("www.example.com", "example.com/offer"): no scheme. */
    public static final int SCHEMALESS = 1 << 5;
    /** Found after undoing {@code hxxp} / {@code [.]} obfuscation of the text. */
    public static final int OBSCURED = 1 << 6;
    /** An e-mail address: {@code mailto:} or written in the text. */
    public static final int EMAIL = 1 << 7;
    /** The host is an IP address (dotted, bracketed, or a number in disguise). */
    public static final int NUMERIC = 1 << 8;
    /** The host could not be read (no host, bad characters, no public suffix). */
    public static final int MALFORMED = 1 << 9;
    /** What the DNS lists' finder reads: every link attribute, text word, bare host and address. */
    public static final int FOUND = ATTRIBUTE | WORD | SCHEMALESS | EMAIL;

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    Link withFlags(int more) {
        return new Link(url, flags | more, host, registrable, htmlIndex);
    }
}

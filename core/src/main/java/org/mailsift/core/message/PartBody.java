package org.mailsift.core.message;

/**
 * The body of one leaf MIME part as it stands in the message, with what decodes it: Content-Type, charset and
 * Content-Transfer-Encoding. Decoded only when asked, so parts no rule reads (images, archives) cost nothing. Sieve's
 * body test (RFC 5173) reads it: {@code :content} may name any type, not only the text parts a scan keeps.
 */
public final class PartBody {
    private final byte[] message;
    private final int from;
    private final int to;
    private final String contentType;
    private final String charset;
    private final String transferEncoding;

    PartBody(byte[] message, int from, int to, String contentType, String charset, String transferEncoding) {
        this.message = message;
        this.from = from;
        this.to = to;
        this.contentType = contentType;
        this.charset = charset;
        this.transferEncoding = transferEncoding;
    }

    /** Lower-case type/subtype as the parser read it ("text/plain" when absent). */
    public String contentType() {
        return contentType;
    }

    /**
     * The body as it stands in the message, not transfer-decoded (quoted-printable stays "=46"), at most {@code max}
     * bytes read as UTF-8: what Rspamd's {@code {raw_mime}} regexps see.
     */
    public String raw(int max) {
        return new String(message, from, Math.min(to - from, max), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The body transfer-decoded (base64, quoted-printable or as is), at most {@code max} bytes. */
    public byte[] decoded(int max) {
        TransferDecoding.Decoded d = TransferDecoding.decode(transferEncoding, message, from, to, max);
        return d.length() == d.bytes().length ? d.bytes() : java.util.Arrays.copyOf(d.bytes(), d.length());
    }

    /**
     * The body transfer- and charset-decoded as the parser decodes text parts (no charset: UTF-8 when valid, else
     * windows-1252), from at most {@code max} decoded bytes. HTML stays HTML.
     */
    public String text(int max) {
        TransferDecoding.Decoded d = TransferDecoding.decode(transferEncoding, message, from, to, max);
        return Charsets.decode(charset, d.bytes(), d.length());
    }

    @Override
    public String toString() {
        return contentType + " (" + (to - from) + " bytes, " + (transferEncoding.isEmpty() ? "7bit" : transferEncoding) + ")";
    }
}

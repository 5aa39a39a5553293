package org.mailsift.core.message;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A message parsed once per scan: decoded headers, text parts (HTML reduced to text), URLs and attachments,
 * plus the damage the parser met. Produced by {@code org.mailsift.core.message.MessageParser}; never null fields.
 */
public interface ParsedMessage {

    /** The raw bytes as received (after stripping a leading mbox "From " line). */
    byte[] raw();

    /** All header fields in order. */
    List<Header> headers();

    /** Decoded (RFC 2047), unfolded values of every field with this name, case-insensitive, in order. */
    List<String> headerValues(String name);

    default Optional<String> firstHeader(String name) {
        List<String> v = headerValues(name);
        return v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    /** Decoded Subject, or empty when there is none. */
    Optional<String> subject();

    /** Message-ID without angle brackets, or empty when there is none. */
    Optional<String> messageId();

    /** Text parts in document order (text/plain and text/html, HTML reduced to text), charset-decoded. */
    List<TextPart> textParts();

    /** Every part that is an attachment (has a filename or a non-text, non-multipart type). */
    List<Attachment> attachments();

    /**
     * URLs found in text and HTML parts (href targets of a/area and http(s) URLs in text), in order, as written: the
     * {@link Link#DISPLAYED} links of {@link #links()}.
     */
    List<String> urls();

    /** The message's one set of links, flagged with where each was found, found lazily once per message. */
    MessageLinks links();

    /** MIME content types of every leaf part, lower case, in order. */
    List<String> partTypes();

    /**
     * Every MIME entity in document order, multipart containers included (Rspamd's task:get_parts()); ids are
     * 0-based positions in this list. Empty for implementations that do not track parts.
     */
    default List<Part> parts() {
        return List.of();
    }

    /**
     * The body of every leaf part (multipart containers excluded) in document order, decoded on demand: what Sieve's
     * body test reads, since it may name any content type. Empty for implementations that do not track parts.
     */
    default List<PartBody> partBodies() {
        return List.of();
    }

    /** Problems met while parsing (e.g. "broken content type", "missing boundary", "depth limit"); empty when clean. */
    Set<String> damage();

    /**
     * One MIME entity.
     *
     * @param id          0-based position in {@link #parts()}
     * @param contentType lower-case type/subtype as declared ("text/plain" when absent)
     * @param declared    whether a Content-Type header was present
     * @param broken      whether the Content-Type could not be parsed (no slash, bad syntax, multipart without boundary)
     * @param filename    decoded file name from Content-Disposition or Content-Type name, or null
     * @param disposition lower-case disposition type ("attachment", "inline"), or null
     * @param size        decoded (or, for large binary parts, estimated) body size in bytes
     */
    record Part(int id, String contentType, boolean declared, boolean broken, String filename, String disposition,
                long size) {
        public boolean isMultipart() {
            return contentType.startsWith("multipart/");
        }
    }

    /** One header field. {@code rawValue} is the undecoded value with folding removed. */
    record Header(String name, String value, String rawValue) {
    }

    /**
     * A text part.
     *
     * @param contentType lower-case MIME type, "text/plain" or "text/html"
     * @param text        decoded text; for HTML the visible text with tags removed
     * @param html        the decoded HTML source for text/html parts, else null
     * @param inAlternative whether the part is a child of multipart/alternative
     */
    record TextPart(String contentType, String text, String html, boolean inAlternative) {
        public boolean isHtml() {
            return html != null;
        }
    }

    /**
     * An attachment.
     *
     * @param filename    decoded file name, or null
     * @param contentType lower-case MIME type
     * @param size        decoded size in bytes (bounded by the parser's limits)
     */
    record Attachment(String filename, String contentType, long size) {
    }
}

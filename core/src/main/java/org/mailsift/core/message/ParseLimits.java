package org.mailsift.core.message;

import java.time.Duration;

/**
 * Bounds that keep a hostile message from exhausting the parser. Anything beyond a limit is skipped and recorded
 * as damage; the parse still produces a result.
 *
 * @param maxDepth          deepest multipart / message nesting that is parsed (deeper parts are opaque)
 * @param maxParts          parts parsed in total (later parts are ignored)
 * @param maxDecodedPartSize bytes of one text part that are decoded (the rest is cut off)
 * @param maxHeaderLine     characters kept of one (unfolded) header field value
 * @param maxHeaders        header fields kept per entity
 * @param maxUrls           URLs kept per message
 * @param timeBudget        wall time after which remaining parts are skipped
 */
public record ParseLimits(int maxDepth, int maxParts, int maxDecodedPartSize, int maxHeaderLine, int maxHeaders,
                          int maxUrls, Duration timeBudget) {

    public static final ParseLimits DEFAULT = new ParseLimits(32, 1000, 2 * 1024 * 1024, 16 * 1024, 1000, 1000,
            Duration.ofSeconds(2));
}

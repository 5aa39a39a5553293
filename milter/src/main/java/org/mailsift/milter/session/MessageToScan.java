package org.mailsift.milter.session;

import java.util.Map;

import org.mailsift.core.message.Envelope;

/**
 * A complete message handed from the session to the scanner, with what the verdict needs afterwards.
 *
 * @param raw          headers, empty line and body as the scanner expects them; null when the message was too big
 * @param envelope     what the MTA told us about the message
 * @param headerCounts instances per lower-cased header name, as the MTA holds them (for CHGHEADER indexes)
 * @param size         message size in bytes (headers as rebuilt plus body)
 */
public record MessageToScan(byte[] raw, Envelope envelope, Map<String, Integer> headerCounts, long size) {

    public MessageToScan {
        headerCounts = Map.copyOf(headerCounts);
    }

    public boolean oversized() {
        return raw == null;
    }
}

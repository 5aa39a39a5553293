package org.mailsift.controller.api;

import org.mailsift.controller.protocol.RequestBodies;
import org.mailsift.controller.protocol.RequestEnvelope;
import org.mailsift.controller.protocol.ScanReplyJson;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.scan.MessageScanner;
import org.mailsift.core.scan.ScanResult;

/** /checkv2 and the legacy v1 scan commands. The reply is JSON even when msgpack is asked for (rspamc parses both). */
public final class ScanEndpoints {
    private final MessageScanner scanner;
    private final long maxBodyBytes;

    public ScanEndpoints(MessageScanner scanner, long maxBodyBytes) {
        this.scanner = scanner;
        this.maxBodyBytes = maxBodyBytes;
    }

    public ApiResponse checkV2(ApiRequest r) {
        return ApiResponse.json(ScanReplyJson.checkV2(scan(r)));
    }

    public ApiResponse checkV1(ApiRequest r) {
        return ApiResponse.json(ScanReplyJson.checkV1(scan(r)));
    }

    private ScanResult scan(ApiRequest r) {
        if (r.body().length == 0 && (r.headers().has("File") || r.headers().has("Path") || r.headers().has("Shm"))) {
            throw new ApiException(400, "File, Path and Shm inputs are not supported; send the message as the body");
        }
        byte[] raw = RequestBodies.decode(r.headers(), r.body(), maxBodyBytes, r.budget());
        Envelope envelope = RequestEnvelope.envelope(r.headers());
        return scanner.scan(raw, envelope);
    }
}

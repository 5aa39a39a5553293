package org.mailsift.controller.api;

import java.net.InetAddress;

/**
 * One HTTP request, already read in full and decoupled from netty so endpoints are plain functions.
 *
 * @param method    "GET", "POST", ...
 * @param path      lower-case command without slashes or query ("checkv2", "learnspam")
 * @param headers   request headers plus query parameters
 * @param body      the body, zstd already undone
 * @param peer      the client's address, or null for a unix-socket peer
 * @param budget    the worker's in-flight bytes, which a decompressed body also draws on
 * @param unixPeer  a unix-socket peer's credentials from the kernel (SO_PEERCRED: "user=vmail group=vmail"), or null
 */
public record ApiRequest(String method, String path, RequestHeaders headers, byte[] body, InetAddress peer, BodyBudget budget,
                         String unixPeer) {
    public ApiRequest(String method, String path, RequestHeaders headers, byte[] body, InetAddress peer) {
        this(method, path, headers, body, peer, BodyBudget.UNLIMITED, null);
    }

    /** Who sent it, for log lines: the address, or the unix socket with the peer's user and group when known. */
    public String who() {
        if (peer != null) {
            return peer.getHostAddress();
        }
        return unixPeer == null ? "unix socket" : "unix socket (" + unixPeer + ")";
    }

    public boolean fromUnixSocket() {
        return peer == null;
    }

    /** Rspamd's command form: "/checkV2?x=1" and "checkv2" are the same command. */
    public static String normalisePath(String uri) {
        int q = uri.indexOf('?');
        String p = q < 0 ? uri : uri.substring(0, q);
        int start = 0;
        while (start < p.length() && p.charAt(start) == '/') {
            start++;
        }
        int end = p.length();
        while (end > start && p.charAt(end - 1) == '/') {
            end--;
        }
        return p.substring(start, end).toLowerCase(java.util.Locale.ROOT);
    }
}

package org.mailsift.controller.webui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import org.mailsift.controller.api.ApiRequest;
import org.mailsift.controller.api.ApiResponse;

/**
 * The web interface's static files, read once from the jar: our page, script and style, and uPlot from its webjar.
 * Each reply carries a strong ETag (a conditional GET gets 304), {@code Cache-Control: no-cache} (the browser keeps
 * the file but asks again, so an upgrade is seen at the next load) and the page's security headers: a
 * Content-Security-Policy that admits scripts and styles from this origin only (no inline script), no framing, no
 * referrer, no MIME sniffing.
 */
public final class WebAssets {
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";
    private static final String OWN = "/org/mailsift/controller/webui/";
    private static final String UPLOT = "/META-INF/resources/webjars/uplot/1.6.30/";

    /** One file: its bytes, type and ETag. */
    record Asset(byte[] body, String contentType, String etag) {
    }

    private final Map<String, Asset> assets = new LinkedHashMap<>();

    public WebAssets() {
        add("", OWN + "index.html", "text/html; charset=utf-8");
        add("webui/app.js", OWN + "app.js", "text/javascript; charset=utf-8");
        add("webui/app.css", OWN + "app.css", "text/css; charset=utf-8");
        add("webui/uplot.js", UPLOT + "dist/uPlot.iife.min.js", "text/javascript; charset=utf-8");
        add("webui/uplot.css", UPLOT + "dist/uPlot.min.css", "text/css; charset=utf-8");
        add("webui/licenses.txt", OWN + "licenses.txt", "text/plain; charset=utf-8");
        add("webui/uplot-license.txt", UPLOT + "LICENSE", "text/plain; charset=utf-8");
    }

    private void add(String path, String resource, String contentType) {
        byte[] body;
        try (InputStream in = WebAssets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("web interface file missing from the jar: " + resource);
            }
            body = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assets.put(path, new Asset(body, contentType, etag(body)));
    }

    /** The request paths served (normalised: "" is the page, "webui/app.js"...). */
    public Iterable<String> paths() {
        return assets.keySet();
    }

    public ApiResponse serve(ApiRequest r) {
        Asset a = assets.get(r.path());
        if (a == null) {
            return ApiResponse.error(404, "No such path: /" + r.path());
        }
        String ifNoneMatch = r.headers().first("If-None-Match");
        ApiResponse reply = ifNoneMatch != null && matches(ifNoneMatch, a.etag())
                ? new ApiResponse(304, "Not Modified", null, new byte[0])
                : new ApiResponse(200, "OK", a.contentType(), "HEAD".equals(r.method()) ? new byte[0] : a.body());
        return securityHeaders(reply)
                .withHeader("ETag", a.etag())
                .withHeader("Cache-Control", "no-cache");
    }

    static ApiResponse securityHeaders(ApiResponse r) {
        return r.withHeader("Content-Security-Policy", CSP)
                .withHeader("X-Content-Type-Options", "nosniff")
                .withHeader("X-Frame-Options", "DENY")
                .withHeader("Referrer-Policy", "no-referrer")
                .withHeader("Cross-Origin-Opener-Policy", "same-origin")
                .withHeader("Cross-Origin-Resource-Policy", "same-origin");
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.trim();
            if (c.equals("*") || c.equals(etag) || c.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    private static String etag(byte[] body) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(d, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.mailsift.scanner.maps;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on loopback serving one map as a web server does: ETag and Last-Modified, 304 to a matching
 * If-None-Match. Counts what it answered, so tests wait for the server's own state.
 */
public final class MapHttpServer implements AutoCloseable {
    private final HttpServer server;
    private volatile byte[] body;
    private volatile int version = 1;
    private volatile int status = 200;
    private final AtomicInteger full = new AtomicInteger();
    private final AtomicInteger notModified = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();

    public MapHttpServer(String body) throws IOException {
        this(body, 0);
    }

    /** @param port 0 for a free one; a given port lets a test restart the server where a map points */
    public MapHttpServer(String body, int port) throws IOException {
        this.body = body.getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                requests.incrementAndGet();
                String etag = "\"v" + version + "\"";
                if (status != 200) {
                    exchange.sendResponseHeaders(status, -1);
                    return;
                }
                if (etag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
                    notModified.incrementAndGet();
                    exchange.getResponseHeaders().add("ETag", etag);
                    exchange.sendResponseHeaders(304, -1);
                    return;
                }
                byte[] bytes = this.body;
                exchange.getResponseHeaders().add("ETag", etag);
                exchange.getResponseHeaders().add("Last-Modified", "Thu, 03 Dec 2026 10:00:0" + (version % 10) + " GMT");
                exchange.sendResponseHeaders(200, bytes.length == 0 ? -1 : bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
                full.incrementAndGet();
            }
        });
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** A new version of the map (a new ETag). */
    public void publish(String newBody) {
        publish(newBody.getBytes(StandardCharsets.UTF_8));
    }

    /** A new version of the map as these bytes (a compressed map). */
    public void publish(byte[] newBody) {
        body = newBody.clone();
        version++;
    }

    /** Answers every request with this status from now on (200: serve the map again). */
    public void answerWith(int httpStatus) {
        status = httpStatus;
    }

    public int fullReplies() {
        return full.get();
    }

    public int notModifiedReplies() {
        return notModified.get();
    }

    public int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

package org.mailsift.scanner.maps;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP(S) map ({@code map = "https://example.com/bad_senders.map"}), shared by every module that takes a map
 * (multimap, greylist, settings, rbl): the text of its last good version, kept current the way Rspamd's map code
 * does it.
 * <ul>
 * <li>At start the last good copy is read from the disk cache ({@code maps_cache_dir}, the data directory by default)
 * so a restart while the server is down still has the map; with no cached copy a {@code fallback+file://} map of the
 * same rule is read instead; with neither the map is empty until the first fetch.</li>
 * <li>{@link #check()} (run on the map watch thread, at start and every {@code map_watch_interval}) asks the server
 * with {@code If-None-Match} (its last ETag) and {@code If-Modified-Since} (its last Last-Modified, else Date):
 * 304 keeps the entries, 200 brings a new version, which is written to the disk cache.</li>
 * <li>A failure (no connection, timeout, an HTTP error, an empty reply, a reply over {@code max_map_size}) keeps the
 * loaded version; the next try comes 20 intervals later, as Rspamd's errored check. It is logged once per outage,
 * and once more when the server answers again.</li>
 * </ul>
 * Not done: Rspamd's signed maps ({@code sign+}), zstd-compressed maps ({@code .zst}) and the Expires header.
 */
public final class HttpMap {
    private static final Logger LOG = LoggerFactory.getLogger(HttpMap.class);
    /** Rspamd's map.c error_mult: after a failure the next check is this many intervals away. */
    static final int ERROR_MULTIPLIER = 20;
    private static final String CACHE_MAGIC = "mailsift-http-map 1";
    private static HttpClient client;

    /** A version of the map's text; {@code version} grows by one with each new text. */
    public record Content(String text, long version) {
    }

    private final URI uri;
    private final Path cacheFile;
    private final MapOptions options;
    private final Clock clock;
    private final AtomicLong failures = new AtomicLong();
    private volatile Content content;
    private String etag;
    private String lastModified;
    private long nextCheckMillis;
    private boolean failing;

    private HttpMap(URI uri, Path fallback, MapOptions options, Clock clock) {
        this.uri = uri;
        this.options = options;
        this.clock = clock;
        this.cacheFile = options.cacheDirectory() == null ? null : options.cacheDirectory().resolve(cacheName(uri));
        if (!readCache() && fallback != null) {
            readFallback(fallback);
        }
    }

    /**
     * @param url      an {@code http://} or {@code https://} URL
     * @param fallback a file read at start when no copy is cached ({@code fallback+file://}), or null
     * @throws IllegalArgumentException when {@code url} is not an HTTP(S) URL
     */
    public static HttpMap open(String url, Path fallback, MapOptions options, Clock clock) {
        URI uri = URI.create(url.strip());
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("not an HTTP(S) map URL: " + url);
        }
        return new HttpMap(uri, fallback, options, clock);
    }

    /** Whether {@code location} names an HTTP(S) map. */
    public static boolean isHttp(String location) {
        String l = location.strip().toLowerCase(Locale.ROOT);
        return l.startsWith("http://") || l.startsWith("https://");
    }

    public URI uri() {
        return uri;
    }

    /** The last good text, or null when none was ever had (no cache, no fallback, no successful fetch yet). */
    public Content content() {
        return content;
    }

    /** How many checks failed (tests, metrics). */
    public long failures() {
        return failures.get();
    }

    /**
     * Asks the server for a newer version when a check is due; returns true when a new text is in {@link #content()}.
     * Never throws: a failure keeps the text and is logged once per outage.
     */
    public synchronized boolean check() {
        long now = clock.millis();
        if (now < nextCheckMillis) {
            return false;
        }
        try {
            String text = fetch();
            nextCheckMillis = 0;
            if (failing) {
                failing = false;
                LOG.info("map {}: the server answers again", uri);
            }
            if (text == null) {
                return false; // 304: not modified
            }
            Content before = content;
            content = new Content(text, before == null ? 1 : before.version() + 1);
            writeCache(text);
            return true;
        } catch (IOException e) {
            failed(now, e.getMessage() == null ? e.toString() : e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void failed(long now, String why) {
        failures.incrementAndGet();
        Duration retry = options.watchInterval().multipliedBy(ERROR_MULTIPLIER);
        nextCheckMillis = now + retry.toMillis();
        if (!failing) {
            failing = true;
            LOG.warn("map {}: {}; keeping {}; next try in {} s", uri, why, content == null
                    ? "it empty (nothing cached yet)" : "the entries loaded before", retry.toSeconds());
        }
    }

    /** The new text, or null for 304. */
    private String fetch() throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(options.timeout()).GET()
                .header("User-Agent", "mailsift");
        if (content != null) {
            if (etag != null) {
                request.header("If-None-Match", etag);
            }
            if (lastModified != null) {
                request.header("If-Modified-Since", lastModified);
            }
        }
        HttpResponse<InputStream> response = client(options.timeout()).send(request.build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            if (status == 304 && content != null) {
                response.headers().firstValue("ETag").ifPresent(e -> etag = e);
                return null;
            }
            if (status != 200) {
                throw new IOException("HTTP error " + status);
            }
            long max = options.maxSize();
            long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > max) {
                throw new IOException("reply of " + declared + " bytes is over max_map_size (" + max + ")");
            }
            byte[] bytes = body.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 16));
            if (bytes.length > max) {
                throw new IOException("reply is over max_map_size (" + max + " bytes)");
            }
            if (bytes.length == 0) {
                throw new IOException("empty reply (an empty map is refused, as Rspamd does)");
            }
            String text = MapText.decode(bytes, max); // before the validators: a damaged copy is asked for again
            etag = response.headers().firstValue("ETag").orElse(null);
            lastModified = response.headers().firstValue("Last-Modified")
                    .or(() -> response.headers().firstValue("Date")).orElse(null);
            return text;
        }
    }

    private static synchronized HttpClient client(Duration timeout) {
        if (client == null) {
            client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL)
                    .version(HttpClient.Version.HTTP_1_1).build();
        }
        return client;
    }

    /** The cache file's name: a hash of the URL, as Rspamd's {@code <hash>.map}. */
    static String cacheName(URI uri) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(uri.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 20) + ".map";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Cache file: a header (magic, url, etag, last-modified), an empty line, the map's text. */
    private void writeCache(String text) {
        if (cacheFile == null) {
            return;
        }
        StringBuilder header = new StringBuilder(CACHE_MAGIC).append('\n').append("url: ").append(uri).append('\n');
        if (etag != null) {
            header.append("etag: ").append(etag).append('\n');
        }
        if (lastModified != null) {
            header.append("last-modified: ").append(lastModified).append('\n');
        }
        header.append('\n');
        try {
            Files.createDirectories(cacheFile.getParent());
            Path tmp = Files.createTempFile(cacheFile.getParent(), cacheFile.getFileName().toString(), ".tmp");
            try {
                Files.writeString(tmp, header + text);
                Files.move(tmp, cacheFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            LOG.warn("map {}: cannot write the cached copy {}: {}", uri, cacheFile, e.toString());
        }
    }

    private boolean readCache() {
        if (cacheFile == null) {
            return false;
        }
        try {
            String all = Files.readString(cacheFile);
            int end = all.indexOf("\n\n");
            if (!all.startsWith(CACHE_MAGIC + "\n") || end < 0) {
                LOG.warn("map {}: ignoring {}, not a cached map", uri, cacheFile);
                return false;
            }
            String cachedEtag = null;
            String cachedModified = null;
            String cachedUrl = null;
            for (String line : all.substring(0, end).split("\n")) {
                int colon = line.indexOf(": ");
                if (colon > 0) {
                    String value = line.substring(colon + 2);
                    switch (line.substring(0, colon)) {
                        case "url" -> cachedUrl = value;
                        case "etag" -> cachedEtag = value;
                        case "last-modified" -> cachedModified = value;
                        default -> { }
                    }
                }
            }
            if (!uri.toString().equals(cachedUrl)) {
                return false;
            }
            etag = cachedEtag;
            lastModified = cachedModified;
            content = new Content(all.substring(end + 2), 1);
            LOG.info("map {}: loaded the cached copy {}", uri, cacheFile);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            LOG.warn("map {}: cannot read the cached copy {}: {}", uri, cacheFile, e.toString());
            return false;
        }
    }

    private void readFallback(Path fallback) {
        try {
            content = new Content(MapText.decode(Files.readAllBytes(fallback), options.maxSize()), 1);
            LOG.info("map {}: nothing cached, loaded the fallback {}", uri, fallback);
        } catch (IOException e) {
            LOG.warn("map {}: cannot read the fallback {}: {}", uri, fallback, e.toString());
        }
    }

    @Override
    public String toString() {
        return uri.toString();
    }
}

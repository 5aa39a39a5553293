package org.mailsift.core.message;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.mailsift.core.scan.HeaderChange;

/**
 * Lets local delivery trust verdict headers without scanning again, never from headers alone. Our milter (on this
 * host) adds {@code X-Mailsift-Seal: v=1; t=EPOCH; mac=BASE64}, an HMAC-SHA256 keyed by a secret that only this
 * host's mailsift can read ({@code DATADIR/verdict-seal.key}, mode 0600), over the seal time, the Message-ID, every
 * verdict header ({@link #COVERED}, all instances, in order) and a digest of the body. A sender cannot forge it
 * without the key (and the milter removes incoming seals); a seal copied onto another message fails because the
 * Message-ID, the verdict headers and the body are covered; seals older than {@link #MAX_AGE} are refused.
 *
 * <p>Canonical form, so MTA re-folding and line endings (CRLF at the milter, LF at delivery) do not matter: header
 * values unfolded with whitespace runs collapsed; body with CR removed before LF and trailing empty lines dropped.
 */
public final class VerdictSeal {
    public static final String HEADER = "X-Mailsift-Seal";
    public static final String KEY_FILE = "verdict-seal.key";
    public static final Duration MAX_AGE = Duration.ofDays(1);
    /** Clock skew tolerated for seals "from the future" (daemon and deliver read the same clock, but be lenient). */
    static final Duration MAX_SKEW = Duration.ofMinutes(5);
    /** The verdict headers a seal vouches for: what the scanner and our milter may set. */
    public static final List<String> COVERED = List.of("X-Spam", "X-Spamd-Result", "X-Spam-Status", "X-Spam-Level",
            "X-Spamd-Bar", "X-Rspamd-Action", "X-Rspamd-Server", "X-Rspamd-Queue-Id", "X-Rspamd-Pre-Result");

    private static final Pattern VALUE = Pattern.compile("v=1; t=([0-9]{1,12}); mac=([A-Za-z0-9+/]{43})");
    /** Generous bounds: a verdict header cut short would leave its tail unprotected. */
    private static final ParseLimits HEADER_LIMITS = new ParseLimits(1, 1, 0, 1 << 20, 10_000, 0, Duration.ofSeconds(2));

    /** Why a message's seal was or was not accepted (for the debug log). */
    public enum Check {
        VALID, MISSING, MALFORMED, STALE, BAD_MAC;

        public boolean trusted() {
            return this == VALID;
        }
    }

    private final byte[] key;

    private VerdictSeal(byte[] key) {
        this.key = key;
    }

    public static Path keyFile(Path dataDir) {
        return dataDir.resolve(KEY_FILE);
    }

    /** Loads this host's key, creating a random one (0600) when missing: whichever side needs it first creates it. */
    public static VerdictSeal open(Path dataDir) throws IOException {
        Path file = keyFile(dataDir);
        if (!Files.exists(file)) {
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            Files.createDirectories(dataDir);
            Path tmp = Files.createTempFile(dataDir, KEY_FILE, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.write(tmp, fresh);
                // link-then-delete publishes a complete file or nothing: a racing reader never sees an empty key
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException raced) {
                // another process created it first: use theirs
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        byte[] key = Files.readAllBytes(file);
        if (key.length < 16) {
            throw new IOException("verdict seal key " + file + " is too short (" + key.length + " bytes)");
        }
        return new VerdictSeal(key);
    }

    /**
     * The seal header value for {@code raw} as the MTA will hold it once {@code edits} are applied (the milter's
     * header changes; the seal header itself is not covered).
     */
    public String seal(byte[] raw, List<HeaderChange> edits, Instant now) {
        int bodyStart = headerBlock(raw).bodyStart();
        byte[] edited = HeaderRewriter.apply(Arrays.copyOf(raw, bodyStart), edits);
        long t = now.getEpochSecond();
        byte[] mac = mac(headerBlock(edited).headers(), raw, bodyStart, t);
        return "v=1; t=" + t + "; mac=" + Base64.getEncoder().withoutPadding().encodeToString(mac);
    }

    /** The header change that adds {@link #seal}'s value. */
    public HeaderChange sealHeader(byte[] raw, List<HeaderChange> edits, Instant now) {
        return HeaderChange.add(HEADER, seal(raw, edits, now));
    }

    /** Whether {@code raw} (a message as delivered) carries exactly one fresh seal made with this host's key. */
    public Check verify(byte[] raw, Instant now) {
        HeaderFields.Block block = headerBlock(raw);
        int bodyStart = block.bodyStart();
        List<ParsedMessage.Header> fields = block.headers();
        List<String> seals = fields.stream().filter(h -> h.name().equalsIgnoreCase(HEADER)).map(ParsedMessage.Header::rawValue).toList();
        if (seals.isEmpty()) {
            return Check.MISSING;
        }
        Matcher m = VALUE.matcher(seals.size() == 1 ? canonical(seals.get(0)) : "");
        if (!m.matches()) {
            return Check.MALFORMED;
        }
        long t = Long.parseLong(m.group(1));
        long age = now.getEpochSecond() - t;
        if (age < -MAX_SKEW.toSeconds() || age > MAX_AGE.toSeconds()) {
            return Check.STALE;
        }
        byte[] given = Base64.getDecoder().decode(m.group(2));
        return MessageDigest.isEqual(given, mac(fields, raw, bodyStart, t)) ? Check.VALID : Check.BAD_MAC;
    }

    private byte[] mac(List<ParsedMessage.Header> fields, byte[] raw, int bodyStart, long t) {
        StringBuilder sb = new StringBuilder(512).append("mailsift-seal-v1\n").append(t).append('\n');
        append(sb, fields, "Message-ID");
        for (String name : COVERED) {
            append(sb, fields, name);
        }
        sb.append("body:").append(HexFormat.of().formatHex(bodyDigest(raw, bodyStart))).append('\n');
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(sb.toString().getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static void append(StringBuilder sb, List<ParsedMessage.Header> fields, String name) {
        for (ParsedMessage.Header h : fields) {
            if (h.name().equalsIgnoreCase(name)) {
                // length-prefixed, so no value can imitate the separators
                String v = canonical(h.rawValue());
                sb.append(name.toLowerCase(Locale.ROOT)).append(':').append(v.length()).append(':').append(v).append('\n');
            }
        }
    }

    private static String canonical(String value) {
        return value.replaceAll("[ \t\r\n]+", " ").strip();
    }

    /** SHA-256 of the body with CR before LF removed and trailing empty lines dropped. */
    private static byte[] bodyDigest(byte[] raw, int bodyStart) {
        int end = raw.length;
        while (end > bodyStart && (raw[end - 1] == '\n' || raw[end - 1] == '\r')) {
            end--;
        }
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
        int from = bodyStart;
        for (int i = bodyStart; i < end; i++) {
            if (raw[i] == '\r' && i + 1 < end && raw[i + 1] == '\n') {
                sha.update(raw, from, i - from);
                from = i + 1;
            }
        }
        sha.update(raw, from, end - from);
        return sha.digest();
    }

    /** The header fields and where the body starts, after a leading mbox "From " line (local(8) adds one for commands). */
    private static HeaderFields.Block headerBlock(byte[] raw) {
        return HeaderFields.parse(raw, fromLineEnd(raw), raw.length, HEADER_LIMITS, new HashSet<>());
    }

    private static int fromLineEnd(byte[] raw) {
        if (raw.length >= 5 && raw[0] == 'F' && raw[1] == 'r' && raw[2] == 'o' && raw[3] == 'm' && raw[4] == ' ') {
            int nl = HeaderFields.indexOf(raw, (byte) '\n', 0, raw.length);
            return nl < 0 ? raw.length : nl + 1;
        }
        return 0;
    }
}

package org.mailsift.sieve.deliver;

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
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.mailsift.sieve.engine.MailMessage;

/**
 * Lets local delivery trust verdict headers without scanning again, never from headers alone: our milter (on this
 * host) would add {@code X-Mailsift-Seal: v=1; t=EPOCH; mac=BASE64} whose MAC is an HMAC-SHA256, keyed by a secret
 * only this host's mailsift can read ({@code DATADIR/verdict-seal.key}, mode 0600), over the seal time, the
 * Message-ID and every verdict header ({@link VerdictHeaders#OURS}). A sender cannot forge it without the key; a
 * copy taken from another message fails because the Message-ID and verdict headers are covered; old seals
 * (over {@link #MAX_AGE}) are refused.
 *
 * <p>Status: the verification side is used by {@code mailsift deliver}; the milter does not add seals yet, so in
 * practice deliver always scans. {@link #seal} is the signing side for the milter to call once wired.
 */
public final class VerdictSeal {
    public static final String HEADER = "X-Mailsift-Seal";
    static final Duration MAX_AGE = Duration.ofDays(7);
    private final byte[] key;

    private VerdictSeal(byte[] key) {
        this.key = key;
    }

    /** Loads the key, creating a random one (0600) when missing. */
    public static VerdictSeal open(Path dataDir) throws IOException {
        Path file = dataDir.resolve("verdict-seal.key");
        if (!Files.exists(file)) {
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            Files.createDirectories(dataDir);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.write(file, fresh);
            } catch (FileAlreadyExistsException raced) {
                // another process created it first: use theirs
            }
        }
        return new VerdictSeal(Files.readAllBytes(file));
    }

    /** Only when the key is readable (deliver may run as a user who cannot read it: then it scans). */
    public static Optional<VerdictSeal> openExisting(Path dataDir) {
        Path file = dataDir.resolve("verdict-seal.key");
        try {
            return Files.isReadable(file) ? Optional.of(new VerdictSeal(Files.readAllBytes(file))) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The seal header value for a message whose verdict headers are final. */
    public String seal(MailMessage message, Instant now) {
        long t = now.getEpochSecond();
        return "v=1; t=" + t + "; mac=" + Base64.getEncoder().withoutPadding().encodeToString(mac(message, t));
    }

    public boolean verify(MailMessage message) {
        List<String> seals = message.header(HEADER);
        if (seals.size() != 1) {
            return false;
        }
        String v = seals.get(0);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^v=1; t=([0-9]{1,12}); mac=([A-Za-z0-9+/]+)$").matcher(v.trim());
        if (!m.matches()) {
            return false;
        }
        long t = Long.parseLong(m.group(1));
        long age = Instant.now().getEpochSecond() - t;
        if (age < -300 || age > MAX_AGE.toSeconds()) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(m.group(2));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(given, mac(message, t));
    }

    private byte[] mac(MailMessage message, long t) {
        StringBuilder sb = new StringBuilder("mailsift-seal-v1\n").append(t).append('\n');
        sb.append(String.join("\n", message.rawHeader("Message-ID"))).append('\n');
        for (String h : VerdictHeaders.OURS) {
            sb.append(h.toLowerCase(java.util.Locale.ROOT)).append(':').append(String.join("\n", message.rawHeader(h))).append('\n');
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(sb.toString().getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}

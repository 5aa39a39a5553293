package org.mailsift.scanner.auth.dkim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;

/** Generating, writing and describing DKIM keys, as {@code rspamadm dkim_keygen} does. */
public final class DkimKeyFiles {
    private DkimKeyFiles() {
    }

    public static KeyPair generate(String type, int bits) throws GeneralSecurityException {
        if (type.equals("ed25519")) {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        }
        if (!type.equals("rsa")) {
            throw new GeneralSecurityException("key type must be rsa or ed25519: " + type);
        }
        if (bits < DkimCrypto.MIN_RSA_BITS || bits > 8192) {
            throw new GeneralSecurityException("RSA key size must be between 1024 and 8192 bits: " + bits);
        }
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(bits);
        return g.generateKeyPair();
    }

    /** PKCS#8 PEM ("BEGIN PRIVATE KEY"), readable by OpenSSL, OpenDKIM, dkimpy (RSA) and Rspamd. */
    public static String pem(PrivateKey key) {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + b64 + "\n-----END PRIVATE KEY-----\n";
    }

    /** Writes the key readable by its owner only (0600), created that way so it is never world-readable. */
    public static void write(Path file, PrivateKey key) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, pem(key), StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The TXT record value: "v=DKIM1; k=rsa; p=...". */
    public static String txtValue(PublicKey key) {
        return "v=DKIM1; k=" + DkimCrypto.keyType(key) + "; p=" + DkimCrypto.publishedKey(key);
    }

    /** A zone-file line as rspamadm prints it: strings of at most 250 characters inside parentheses. */
    public static String zoneRecord(String selector, PublicKey key) {
        String v = txtValue(key);
        StringBuilder sb = new StringBuilder(selector).append("._domainkey IN TXT ( ");
        for (int i = 0; i < v.length(); i += 250) {
            if (i > 0) {
                sb.append("\n\t");
            }
            sb.append('"').append(v, i, Math.min(v.length(), i + 250)).append('"');
        }
        return sb.append(" ) ;").toString();
    }

    public static PrivateKey read(Path file) throws IOException, GeneralSecurityException {
        return DkimCrypto.privateKey(Files.readString(file, StandardCharsets.ISO_8859_1));
    }
}

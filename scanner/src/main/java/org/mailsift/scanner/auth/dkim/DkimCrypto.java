package org.mailsift.scanner.auth.dkim;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * The JDK's RSA and Ed25519 (Java 15+) behind DKIM's key encodings: X.509 SubjectPublicKeyInfo or bare PKCS#1 RSA
 * keys in p=, raw 32-byte Ed25519 keys (RFC 8463), PKCS#8 and PKCS#1 PEM private keys.
 */
public final class DkimCrypto {
    /** Keys below this are refused (RFC 8301). */
    public static final int MIN_RSA_BITS = 1024;
    private static final byte[] ED25519_SPKI_PREFIX = hex("302a300506032b6570032100");
    private static final byte[] ED25519_PKCS8_PREFIX = hex("302e020100300506032b657004220420");
    private static final byte[] RSA_ALGORITHM_ID = hex("300d06092a864886f70d0101010500");

    private DkimCrypto() {
    }

    static PublicKey rsaPublicKey(byte[] der) throws DkimKeyRecord.KeyException {
        PublicKey key;
        try {
            key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            try { // some publish the bare PKCS#1 RSAPublicKey
                key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(
                        derSequence(RSA_ALGORITHM_ID, derBitString(der))));
            } catch (GeneralSecurityException | RuntimeException e2) {
                throw new DkimKeyRecord.KeyException("p= is not an RSA public key", false);
            }
        }
        int bits = ((RSAKey) key).getModulus().bitLength();
        if (bits < MIN_RSA_BITS) {
            throw new DkimKeyRecord.KeyException("RSA key too short (" + bits + " bits)", false);
        }
        return key;
    }

    static PublicKey ed25519PublicKey(byte[] raw) throws DkimKeyRecord.KeyException {
        if (raw.length != 32) {
            throw new DkimKeyRecord.KeyException("ed25519 key is not 32 bytes", false);
        }
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(concat(ED25519_SPKI_PREFIX, raw)));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new DkimKeyRecord.KeyException("p= is not an ed25519 public key", false);
        }
    }

    /** The p= value to publish for a public key. */
    public static String publishedKey(PublicKey key) {
        byte[] enc = key.getEncoded();
        if (key.getAlgorithm().equals("EdDSA") || key.getAlgorithm().equals("Ed25519")) {
            enc = Arrays.copyOfRange(enc, enc.length - 32, enc.length);
        }
        return Base64.getEncoder().encodeToString(enc);
    }

    /**
     * Reads a private key file: PEM "PRIVATE KEY" (PKCS#8, RSA or Ed25519), "RSA PRIVATE KEY" (PKCS#1, as
     * opendkim-genkey and older rspamadm write), or a bare base64 Ed25519 seed (32 bytes) or seed+public key (64
     * bytes) as dknewkey and rspamadm write for ed25519.
     */
    public static PrivateKey privateKey(String text) throws GeneralSecurityException {
        String t = text.strip();
        boolean pkcs1 = t.contains("BEGIN RSA PRIVATE KEY");
        String b64 = t.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("not a PEM or base64 key");
        }
        if (!t.startsWith("-----") && (der.length == 32 || der.length == 64)) {
            return KeyFactory.getInstance("Ed25519").generatePrivate(
                    new PKCS8EncodedKeySpec(concat(ED25519_PKCS8_PREFIX, Arrays.copyOf(der, 32))));
        }
        if (pkcs1) {
            der = derSequence(hex("020100"), RSA_ALGORITHM_ID, derOctetString(der));
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        }
        for (String alg : new String[] {"RSA", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException | RuntimeException e) {
                // try the next
            }
        }
        throw new GeneralSecurityException("unsupported private key (RSA or Ed25519 PKCS#8/PKCS#1 expected)");
    }

    /** "rsa" or "ed25519". */
    public static String keyType(java.security.Key key) {
        return key.getAlgorithm().equals("RSA") ? "rsa" : "ed25519";
    }

    /** Signs DKIM's header hash input. Ed25519 signs the SHA-256 digest of it (RFC 8463 section 3). */
    public static byte[] sign(PrivateKey key, String hash, byte[] data) throws GeneralSecurityException {
        Signature s = signature(key, hash);
        s.initSign(key);
        s.update(signedBytes(key, data));
        return s.sign();
    }

    public static boolean verify(PublicKey key, String hash, byte[] data, byte[] signature) {
        try {
            Signature s = verifier(key, hash);
            s.initVerify(key);
            s.update(signedBytes(key, data));
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // a signature of the wrong size or shape simply does not verify
        }
    }

    /**
     * The scanning thread's own verifier for the algorithm (initVerify resets it): looking a Signature up in the
     * providers costs microseconds per message. Virtual threads (a lookup still out) get a fresh one.
     */
    private static final ThreadLocal<java.util.Map<String, Signature>> VERIFIERS = ThreadLocal.withInitial(java.util.HashMap::new);

    private static Signature verifier(java.security.Key key, String hash) throws GeneralSecurityException {
        if (Thread.currentThread().isVirtual()) {
            return signature(key, hash);
        }
        String name = keyType(key).equals("rsa") ? hash : "Ed25519";
        java.util.Map<String, Signature> mine = VERIFIERS.get();
        Signature s = mine.get(name);
        if (s == null) {
            s = signature(key, hash);
            mine.put(name, s);
        }
        return s;
    }

    private static Signature signature(java.security.Key key, String hash) throws GeneralSecurityException {
        if (keyType(key).equals("rsa")) {
            return Signature.getInstance(hash.equals("SHA-1") ? "SHA1withRSA" : "SHA256withRSA");
        }
        return Signature.getInstance("Ed25519");
    }

    private static byte[] signedBytes(java.security.Key key, byte[] data) {
        return keyType(key).equals("rsa") ? data : digest("SHA-256", data);
    }

    public static byte[] digest(String algorithm, byte[] data) {
        return digest(algorithm, data, data.length);
    }

    public static byte[] digest(String algorithm, byte[] data, int length) {
        MessageDigest md = newDigest(algorithm);
        md.update(data, 0, length);
        return md.digest();
    }

    private static final MessageDigest SHA256 = digestOrNull("SHA-256");
    private static final MessageDigest SHA1 = digestOrNull("SHA-1");

    /** A fresh digest: a clone of a kept one for DKIM's two (cheaper than asking the providers each time). */
    public static MessageDigest newDigest(String algorithm) {
        MessageDigest proto = algorithm.equals("SHA-256") ? SHA256 : algorithm.equals("SHA-1") ? SHA1 : null;
        if (proto != null) {
            try {
                return (MessageDigest) proto.clone();
            } catch (CloneNotSupportedException e) {
                // not cloneable in this provider: ask for a new one
            }
        }
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MessageDigest digestOrNull(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            return null;
        }
    }

    // --- minimal DER, only to wrap PKCS#1 keys ---

    private static byte[] derSequence(byte[]... parts) {
        return derTagged(0x30, concat(parts));
    }

    private static byte[] derBitString(byte[] content) {
        return derTagged(0x03, concat(new byte[] {0}, content));
    }

    private static byte[] derOctetString(byte[] content) {
        return derTagged(0x04, content);
    }

    private static byte[] derTagged(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int len = content.length;
        if (len < 0x80) {
            out.write(len);
        } else {
            byte[] l = BigInteger.valueOf(len).toByteArray();
            int off = l[0] == 0 ? 1 : 0;
            out.write(0x80 | (l.length - off));
            out.write(l, off, l.length - off);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] hex(String s) {
        return java.util.HexFormat.of().parseHex(s);
    }
}

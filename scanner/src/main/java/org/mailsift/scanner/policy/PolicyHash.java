package org.mailsift.scanner.policy;

import java.nio.charset.StandardCharsets;

import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.mailsift.scanner.selectors.Digests;

/**
 * Store keys exactly as Rspamd's policy modules make them: a prefix, then the first characters of the z-base32 of an
 * (unkeyed) BLAKE2b-512 of the parts, as {@code rspamd_cryptobox_hash.create()}, {@code :update()},
 * {@code :base32()}. So greylisting records and remembered replies that Rspamd wrote into a shared Redis are found
 * by mailsift and the other way round (e.g. while moving from one to the other).
 */
public final class PolicyHash {
    private final Blake2bDigest digest = new Blake2bDigest(null, 64, null, null);

    public PolicyHash update(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        digest.update(b, 0, b.length);
        return this;
    }

    public PolicyHash update(byte[] b, int from, int length) {
        digest.update(b, from, length);
        return this;
    }

    /** {@code prefix} followed by {@code size} base32 characters of the hash. */
    public String key(String prefix, int size) {
        byte[] out = new byte[64];
        digest.doFinal(out, 0);
        return prefix + Digests.zbase32(out).substring(0, size);
    }

    /** The key of a single string, as Rspamd's make_key(goop, size, prefix). */
    public static String of(String goop, int size, String prefix) {
        return new PolicyHash().update(goop).key(prefix, size);
    }
}

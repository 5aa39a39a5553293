package org.mailsift.scanner.auth.dkim;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A parsed DKIM-Signature (RFC 6376 section 3.5; ARC-Message-Signature uses the same tags plus i=).
 *
 * @param algorithm  rsa-sha256, rsa-sha1 or ed25519-sha256
 * @param signedHeaders h= names in order, lower case
 * @param bodyLength l= or -1
 * @param timestamp  t= or -1
 * @param expiration x= or -1
 */
public record DkimSignature(String algorithm, byte[] signature, byte[] bodyHash, String domain, String selector,
                            Canonicalization headerCanon, Canonicalization bodyCanon, List<String> signedHeaders,
                            String identity, long bodyLength, long timestamp, long expiration, int instance) {
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,18}");
    private static final Pattern DOMAIN =
            Pattern.compile("([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\\.)*[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");
    private static final Pattern SELECTOR = Pattern.compile("[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?");

    public String hashAlgorithm() {
        return algorithm.endsWith("sha1") ? "SHA-1" : "SHA-256";
    }

    public String keyType() {
        return algorithm.startsWith("ed25519") ? "ed25519" : "rsa";
    }

    /** The first 8 characters of b= as Rspamd shows in header.b. */
    public String shortB() {
        String b = Base64.getEncoder().encodeToString(signature);
        return b.length() > 8 ? b.substring(0, 8) : b;
    }

    /**
     * Parses the value of a DKIM-Signature (or, with {@code arc}, an ARC-Message-Signature: i= is the instance,
     * v= absent).
     */
    public static DkimSignature parse(String value, boolean arc) throws TagList.MalformedTagsException {
        TagList t = TagList.parse(value);
        int instance = 0;
        if (arc) {
            instance = ArcInstance.parse(t.require("i"));
        } else if (!"1".equals(t.require("v"))) {
            throw new TagList.MalformedTagsException("unsupported version v=" + t.require("v"));
        }
        String a = t.require("a").toLowerCase(Locale.ROOT);
        if (!a.equals("rsa-sha256") && !a.equals("rsa-sha1") && !a.equals("ed25519-sha256")) {
            throw new TagList.MalformedTagsException("unsupported algorithm a=" + a);
        }
        byte[] b = base64(t.require("b"), "b");
        byte[] bh = base64(t.require("bh"), "bh");
        if (b.length == 0 || bh.length == 0) {
            throw new TagList.MalformedTagsException("empty b= or bh=");
        }
        String d = t.require("d").toLowerCase(Locale.ROOT);
        String s = t.require("s").toLowerCase(Locale.ROOT);
        if (!isDomain(d) || !isSelector(s)) {
            throw new TagList.MalformedTagsException("bad d= or s=");
        }
        Canonicalization hc = Canonicalization.SIMPLE;
        Canonicalization bc = Canonicalization.SIMPLE;
        String c = t.get("c").orElse("simple/simple");
        int slash = c.indexOf('/');
        if (slash < 0) {
            hc = Canonicalization.of(c);
        } else {
            hc = Canonicalization.of(c.substring(0, slash));
            bc = Canonicalization.of(c.substring(slash + 1));
        }
        List<String> h = new ArrayList<>();
        for (String name : t.require("h").split(":", -1)) {
            String n = TagList.strip(name).toLowerCase(Locale.ROOT);
            if (n.isEmpty()) {
                throw new TagList.MalformedTagsException("empty name in h=");
            }
            h.add(n);
        }
        if (!h.contains("from")) {
            throw new TagList.MalformedTagsException("h= does not sign From");
        }
        if (h.size() > 256) {
            throw new TagList.MalformedTagsException("h= too long");
        }
        String identity = arc ? null : t.get("i").orElse("@" + d);
        if (identity != null) {
            int at = identity.lastIndexOf('@');
            String idDomain = at < 0 ? "" : identity.substring(at + 1).toLowerCase(Locale.ROOT);
            if (!idDomain.equals(d) && !idDomain.endsWith("." + d)) {
                throw new TagList.MalformedTagsException("i= is not in d=");
            }
        }
        if (t.has("q") && !t.get("q").orElseThrow().toLowerCase(Locale.ROOT).startsWith("dns/txt")) {
            throw new TagList.MalformedTagsException("unsupported q=");
        }
        long l = number(t, "l");
        long ts = number(t, "t");
        long x = number(t, "x");
        if (x >= 0 && ts >= 0 && x < ts) {
            throw new TagList.MalformedTagsException("x= before t=");
        }
        return new DkimSignature(a, b, bh, d, s, hc, bc, List.copyOf(h), identity, l, ts, x, instance);
    }

    private static long number(TagList t, String tag) throws TagList.MalformedTagsException {
        if (!t.has(tag)) {
            return -1;
        }
        String v = t.get(tag).orElseThrow();
        if (!NUMBER.matcher(v).matches()) {
            throw new TagList.MalformedTagsException("bad number " + tag + "=");
        }
        return Long.parseLong(v);
    }

    public static byte[] base64(String v, String tag) throws TagList.MalformedTagsException {
        try {
            return Base64.getDecoder().decode(TagList.noWhitespace(v));
        } catch (IllegalArgumentException e) {
            throw new TagList.MalformedTagsException("bad base64 in " + tag + "=");
        }
    }

    public static boolean isDomain(String d) {
        return d.length() <= 253 && DOMAIN.matcher(d).matches();
    }

    public static boolean isSelector(String s) {
        return s.length() <= 253 && SELECTOR.matcher(s).matches();
    }

    /** ARC's i= (1..50). */
    public static final class ArcInstance {
        private static final Pattern INSTANCE = Pattern.compile("[0-9]{1,2}");

        private ArcInstance() {
        }

        public static int parse(String v) throws TagList.MalformedTagsException {
            if (!INSTANCE.matcher(v).matches()) {
                throw new TagList.MalformedTagsException("bad ARC instance i=" + v);
            }
            int i = Integer.parseInt(v);
            if (i < 1 || i > 50) {
                throw new TagList.MalformedTagsException("ARC instance out of range: " + i);
            }
            return i;
        }
    }
}

package org.mailsift.scanner.auth.dkim;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Creates DKIM-Signature values (RFC 6376, RFC 8463) with the tags in Rspamd's order
 * ({@code v a c d s t [x] h bh b}), folded so every line stays short.
 */
public final class DkimSigner {
    private DkimSigner() {
    }

    /**
     * @param expireSeconds adds x= = t + this when &gt; 0
     * @return the header value (without the name), folded with CRLF TAB
     */
    public static String sign(HeaderHashInput input, String domain, String selector, PrivateKey key,
                              SignedHeaders headers, Canonicalization headerCanon, Canonicalization bodyCanon,
                              long nowSeconds, long expireSeconds) throws GeneralSecurityException {
        List<String> tags = new ArrayList<>();
        String alg = DkimCrypto.keyType(key).equals("rsa") ? "rsa-sha256" : "ed25519-sha256";
        tags.add("v=1");
        tags.add("a=" + alg);
        tags.add("c=" + headerCanon.wireName() + "/" + bodyCanon.wireName());
        tags.add("d=" + domain);
        tags.add("s=" + selector);
        tags.add("t=" + nowSeconds);
        if (expireSeconds > 0) {
            tags.add("x=" + (nowSeconds + expireSeconds));
        }
        List<String> h = headers.forMessage(input.message());
        return sealWith(input, tags, h, key, headerCanon, bodyCanon, "DKIM-Signature");
    }

    /**
     * Adds h=, bh= and b= to {@code tags} and signs: shared by DKIM-Signature and ARC-Message-Signature.
     * @return the folded value
     */
    public static String sealWith(HeaderHashInput input, List<String> tags, List<String> h, PrivateKey key,
                                  Canonicalization headerCanon, Canonicalization bodyCanon, String fieldName)
            throws GeneralSecurityException {
        byte[] body = input.canonicalBody(bodyCanon);
        List<String> all = new ArrayList<>(tags);
        all.add("h=" + String.join(":", h));
        all.add("bh=" + Base64.getEncoder().encodeToString(DkimCrypto.digest("SHA-256", body)));
        String unsigned = fold(all) + ";\r\n\tb=";
        byte[] data = HeaderHashInput.headers(input.message().fields(), h, headerCanon, fieldName + ": " + unsigned);
        String b = Base64.getEncoder().encodeToString(DkimCrypto.sign(key, "SHA-256", data));
        return unsigned + foldBase64(b);
    }

    /** Joins tags with "; ", starting a new line before a tag that would pass 76 columns; h= folds at colons. */
    public static String fold(List<String> tags) {
        StringBuilder sb = new StringBuilder();
        int col = 16;
        for (int i = 0; i < tags.size(); i++) {
            String t = tags.get(i);
            if (i > 0) {
                sb.append(';');
                col++;
                if (col + 1 + t.length() > 76) {
                    sb.append("\r\n\t");
                    col = 8;
                } else {
                    sb.append(' ');
                    col++;
                }
            }
            if (t.startsWith("h=") && col + t.length() > 76) {
                String[] names = t.substring(2).split(":");
                sb.append("h=");
                col += 2;
                for (int j = 0; j < names.length; j++) {
                    if (j > 0) {
                        sb.append(':');
                        col++;
                        if (col + names[j].length() > 76) {
                            sb.append("\r\n\t");
                            col = 8;
                        }
                    }
                    sb.append(names[j]);
                    col += names[j].length();
                }
            } else {
                sb.append(t);
                col += t.length();
            }
        }
        return sb.toString();
    }

    private static String foldBase64(String b) {
        StringBuilder sb = new StringBuilder(b.length() + b.length() / 60 * 3);
        for (int i = 0; i < b.length(); i += 70) {
            if (i > 0) {
                sb.append("\r\n\t");
            }
            sb.append(b, i, Math.min(b.length(), i + 70));
        }
        return sb.toString();
    }
}

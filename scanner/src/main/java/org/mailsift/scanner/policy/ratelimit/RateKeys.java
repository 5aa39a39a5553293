package org.mailsift.scanner.policy.ratelimit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.mailsift.scanner.policy.PolicyHash;
import org.mailsift.scanner.selectors.Selector;
import org.mailsift.scanner.selectors.SelectorInput;

/**
 * A message's buckets, keyed as Rspamd keys them: a rate with a selector gets one bucket per selector value
 * ({@code <round(100000/burst)>:<rate>:<value>}, several values of a list selector giving several buckets); a keyword
 * rate ({@code to_ip_from}) one bucket keyed by its keywords' values ({@code <round(100000/burst)>:<to>:<ip>:<from>}),
 * or none when a keyword has no value (no SASL user for {@code user}, a sender that is not a bounce for
 * {@code bounce}). The stored key is {@code RL} + the first 24 characters of the key's BLAKE2b in Rspamd's base32.
 */
final class RateKeys {
    /** One bucket of this message: the rate and bucket it belongs to, its readable key and its stored key. */
    record MessageBucket(RatelimitSettings.RateLimit limit, RateBucketConfig bucket, String key, String hash) {
    }

    /** Keyword values as selectors: what Rspamd's ratelimit keywords read. */
    private static final Map<String, Selector> KEYWORD_SELECTORS = Map.of(
            "ip", Selector.parse("ip"),
            "from", Selector.parse("from:addr.lower"),
            "user", Selector.parse("user"),
            "to", Selector.parse("to"),
            "digest", Selector.parse("digest"),
            "attachments", Selector.parse("attachments.join('')"),
            "files", Selector.parse("files.join(':')"));
    private static final Selector FROM_USER = Selector.parse("from:user.lower");

    private RateKeys() {
    }

    static List<MessageBucket> of(RatelimitSettings settings, SelectorInput in, boolean localClient) {
        List<MessageBucket> out = new ArrayList<>();
        for (RatelimitSettings.RateLimit limit : settings.rates()) {
            for (RateBucketConfig bucket : limit.buckets()) {
                if (limit.selector() != null) {
                    String id = bucket.burstId() + ":" + LuaNumbers.format(bucket.rate());
                    for (String value : limit.selector().combine(in, ":")) {
                        String key = id + ":" + value;
                        out.add(new MessageBucket(limit, bucket, key, hash(settings.prefix(), key)));
                    }
                } else {
                    String key = keywordKey(settings, limit, bucket, in, localClient);
                    if (key != null) {
                        out.add(new MessageBucket(limit, bucket, key, hash(settings.prefix(), key)));
                    }
                }
            }
        }
        return out;
    }

    private static String keywordKey(RatelimitSettings settings, RatelimitSettings.RateLimit limit,
                                     RateBucketConfig bucket, SelectorInput in, boolean localClient) {
        StringBuilder key = new StringBuilder(bucket.burstId());
        for (String k : limit.keywords()) {
            String value = switch (k) {
                case "rip" -> localClient ? null : first(KEYWORD_SELECTORS.get("ip"), in);
                case "bounce" -> {
                    if ("".equals(in.envelope().mailFrom())) {
                        yield "_"; // the null sender
                    }
                    String user = first(FROM_USER, in);
                    yield user == null || settings.bounceSenders().contains(user.toLowerCase(Locale.ROOT)) ? "_" : null;
                }
                case "from" -> "".equals(in.envelope().mailFrom()) ? "" : first(KEYWORD_SELECTORS.get(k), in);
                default -> first(KEYWORD_SELECTORS.get(k), in);
            };
            if (value == null) {
                return null;
            }
            key.append(':').append(value);
        }
        return key.toString();
    }

    private static String first(Selector s, SelectorInput in) {
        List<String> v = s.combine(in, "");
        return v.isEmpty() ? null : v.get(0);
    }

    /** Rspamd's make_prefix: prefix + BLAKE2b(key) in base32, cut to 24 characters (or the key's length). */
    static String hash(String prefix, String key) {
        return PolicyHash.of(key, Math.min(24, key.length()), prefix);
    }
}

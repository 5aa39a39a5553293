package org.mailsift.scanner.multimap;

import com.google.common.cache.CacheBuilder;
import com.google.common.cache.CacheLoader;
import com.google.common.cache.LoadingCache;
import org.mailsift.core.dns.PublicSuffix;

/**
 * Registrable domains (Rspamd's get_tld: the Public Suffix List's suffix plus one label) for the tld filters, cached:
 * the same hosts (relays, link domains) come back in message after message and the list lookup is the costly part.
 */
final class Domains {
    private static final LoadingCache<String, String> REGISTRABLE = CacheBuilder.newBuilder().maximumSize(50_000)
            .build(CacheLoader.from(PublicSuffix::organizationalDomain));

    private Domains() {
    }

    static String registrable(String host) {
        return host == null || host.isEmpty() ? host : REGISTRABLE.getUnchecked(host);
    }
}

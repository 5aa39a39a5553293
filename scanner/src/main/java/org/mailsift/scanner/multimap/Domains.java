package org.mailsift.scanner.multimap;

import com.google.common.net.InetAddresses;
import org.mailsift.core.dns.PublicSuffix;

/**
 * Registrable domains (Rspamd's get_tld: the Public Suffix List's suffix plus one label) for the tld filters, through
 * core's memoized {@link PublicSuffix}. Values that cannot have one (no dot, an address literal: Received headers are
 * full of them) are answered as they are without asking the list, whose parser refuses them the costly way.
 */
final class Domains {
    private Domains() {
    }

    static String registrable(String host) {
        if (host == null || host.indexOf('.') <= 0 || host.charAt(0) == '[' || InetAddresses.isInetAddress(host)) {
            return host;
        }
        return PublicSuffix.organizationalDomain(host);
    }
}

package org.mailsift.scanner.multimap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A tld rule skips the Public Suffix lookup for a host none of whose label suffixes is in the map: the skip may never
 * drop a host whose registrable domain is a key.
 */
class TldPrecheckTest {
    private static MapData hash(String... keys) {
        MapData.Builder b = MapData.builder(MapData.Kind.HASH, false);
        for (String k : keys) {
            b.add(k, "");
        }
        return b.build();
    }

    @Test
    void hostWhoseRegistrableDomainIsListedIsNeverSkipped() {
        MapData map = hash("example.co.uk", "Bulk-Mailer.NET", "localhost", "192.0.2.1");
        for (String host : new String[] {"mail.example.co.uk", "MX1.BULK-MAILER.net.", "bulk-mailer.net", "localhost",
                "192.0.2.1"}) {
            assertThat(map.mayHoldSuffixOf(host)).as(host).isTrue();
            assertThat(map.lookup(Domains.registrable(host.endsWith(".") ? host.substring(0, host.length() - 1) : host)))
                    .as(host).isNotEmpty();
        }
    }

    @Test
    void hostWithNoListedSuffixIsSkipped() {
        MapData map = hash("example.co.uk", "bulk-mailer.net");
        assertThat(map.mayHoldSuffixOf("mail.example.com")).isFalse();
        assertThat(map.mayHoldSuffixOf("notbulk-mailer.net")).isFalse();
        assertThat(map.mayHoldSuffixOf("")).isFalse();
    }

    @Test
    void nonAsciiHostsAndOtherMapKindsAreAlwaysLookedUp() {
        assertThat(hash("example.com").mayHoldSuffixOf("mail.example\u3002com")).isTrue();
        MapData regexps = MapData.builder(MapData.Kind.REGEXP, false).build();
        assertThat(regexps.mayHoldSuffixOf("anything.example")).isTrue();
    }
}

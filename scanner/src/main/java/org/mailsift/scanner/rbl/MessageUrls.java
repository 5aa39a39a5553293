package org.mailsift.scanner.rbl;

import java.util.List;

/**
 * What a message links to, as DNS lists need it: hosts of URLs (text, HTML {@code href} / {@code src}, bare domains,
 * de-obfuscated {@code hxxp} / {@code [.]} forms) and e-mail addresses, normalized (IDN to punycode, percent and
 * entity decoding, lower case) and de-duplicated, most frequent registrable domain first.
 *
 * @param hosts      distinct URL hosts, at most the extractor's limit
 * @param emails     distinct e-mail addresses (lower case), at most the extractor's limit
 * @param seen       URL candidates examined
 * @param malformed  candidates whose host could not be read
 * @param obfuscated URLs found only after undoing hxxp / [.] obfuscation
 * @param distinctDomains registrable domains found before the limit cut
 */
public record MessageUrls(List<UrlHost> hosts, List<String> emails, int seen, int malformed, int obfuscated,
                          int distinctDomains) {
    public MessageUrls {
        hosts = List.copyOf(hosts);
        emails = List.copyOf(emails);
    }

    /**
     * One URL host.
     *
     * @param host        ASCII host name, or the address for IP hosts
     * @param registrable the registrable domain (Public Suffix List), or null for IP hosts
     * @param ip          whether the host is an IP address (dotted, bracketed or an obscured number)
     * @param count       how many URLs had this registrable domain (or IP)
     */
    public record UrlHost(String host, String registrable, boolean ip, int count) {
    }
}

package org.mailsift.scanner.rbl;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One list of {@code rbl.conf}'s {@code rbls { }}, with Rspamd's option names and defaults.
 *
 * @param name             the section name ({@code spamhaus})
 * @param symbol           the symbol for listed-with-an-unknown-code ({@code symbol}, default the name upper-cased);
 *                         {@code SYMBOL_FAIL} is the DNS-failure symbol
 * @param zone             the DNS zone ({@code rbl})
 * @param checks           what is looked up ({@code checks = [...]} or {@code from = true; ...})
 * @param returnCodes      symbol → Lua patterns of answers ({@code returncodes}), in order
 * @param returnBits       symbol → bit masks ({@code returnbits}: SURBL / URIBL multi lists)
 * @param symbolsPrefixes  check → prefix ({@code symbols_prefixes { received = 'RECEIVED'; from = 'RBL'; }})
 * @param whitelist        elements never looked up in this list ({@code whitelist}: IPs / networks and domains)
 * @param requestsLimit    distinct names looked up per message ({@code requests_limit})
 * @param receivedMinPos   {@code received_min_pos}, or null
 * @param receivedMaxPos   {@code received_max_pos}, or null
 * @param hash             {@code hash} (blake2, sha1, sha256, sha384, sha512, md5; null for none): every name is
 *                         looked up as its digest, as Rspamd's hashed lists (MSBL EBL, Rspamd's own) expect
 * @param hashFormat       {@code hash_format}: hex (default), base32 (Rspamd's z-base32) or base64
 * @param hashLen          {@code hash_len}: the digest text cut to this many characters (0: whole)
 * @param dkimMatchFrom    {@code dkim_match_from}: only a DKIM domain equal to the From: domain is looked up
 * @param urlFullHostname  {@code url_full_hostname}: URL / DKIM / e-mail hosts looked up whole, not their
 *                         registrable domain
 * @param resolveIp        {@code resolve_ip}: URL / e-mail hosts are resolved (A and AAAA) and their addresses looked up
 * @param selectors        {@code selector}: values of these selectors are looked up (label "selector")
 */
public record RblList(String name, String symbol, String zone, Set<Check> checks, boolean ipv4, boolean ipv6,
                      boolean excludeUsers, boolean excludeLocal, boolean excludePrivateIps, boolean isWhitelist,
                      Set<String> whitelistExceptions, boolean ignoreWhitelist, Whitelist whitelist,
                      Map<String, List<Pattern>> returnCodes, Map<String, List<Long>> returnBits, boolean unknown,
                      Map<Check, String> symbolsPrefixes, boolean emailsDomainonly, boolean dkimDomainonly, boolean noIp,
                      int requestsLimit, Integer receivedMinPos, Integer receivedMaxPos, String hash,
                      String emailsDelimiter, String hashFormat, int hashLen, boolean dkimMatchFrom,
                      boolean urlFullHostname, boolean resolveIp, List<SelectorCheck> selectors) {

    /**
     * One {@code selector} of a list, its values flattened ({@code selector_flatten}, the default) or combined into
     * one string. Every selector's values are labelled "selector" in options and {@code symbols_prefixes}.
     */
    public record SelectorCheck(org.mailsift.scanner.selectors.Selector selector, boolean flatten) {
    }

    /** What a list can check, as Rspamd's {@code checks}. */
    public enum Check {
        FROM("from"), RECEIVED("received"), HELO("helo"), RDNS("rdns"), URLS("urls"), EMAILS("emails"), DKIM("dkim"),
        REPLYTO("replyto"), IMAGES("images"), CONTENT_URLS("content_urls"), SELECTOR("selector");

        final String key;

        Check(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        /** The label Rspamd puts in options ("from", "received", "url", "email"...). */
        String label() {
            return switch (this) {
                case URLS, IMAGES, CONTENT_URLS -> "url";
                case EMAILS -> "email";
                default -> key;
            };
        }
    }

    /** The failure symbol: Rspamd's {@code SYMBOL_FAIL}. */
    public String failSymbol() {
        return symbol + "_FAIL";
    }

    /** The symbol name for a result symbol met through {@code check} (prefixed when symbols_prefixes says so). */
    public String symbolFor(String base, Check check) {
        if (symbolsPrefixes.isEmpty()) {
            return base;
        }
        String prefix = symbolsPrefixes.get(check);
        return prefix == null ? base : prefix + "_" + base;
    }

    public boolean checksIps() {
        return checks.contains(Check.FROM) || checks.contains(Check.RECEIVED);
    }
}

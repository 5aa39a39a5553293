package org.mailsift.scanner.rbl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import org.mailsift.core.message.Link;
import org.mailsift.core.message.ParsedMessage;

/**
 * The hosts and e-mail addresses a message points to, for DNS lists: a view of the message's one link set
 * ({@link ParsedMessage#links()}, its {@link Link#FOUND} links), bounded: at most {@code maxCandidates} URL candidates
 * are counted and {@code maxHosts} distinct registrable domains kept, so a message with 10,000 URLs costs no more than
 * one with a few hundred.
 */
public final class UrlExtractor {
    private final int maxCandidates;
    private final int maxHosts;

    public UrlExtractor(int maxCandidates, int maxHosts) {
        this.maxCandidates = maxCandidates;
        this.maxHosts = maxHosts;
    }

    public MessageUrls extract(ParsedMessage message) {
        Map<String, int[]> counts = new LinkedHashMap<>();
        Map<String, Link> first = new LinkedHashMap<>();
        LinkedHashSet<String> emails = new LinkedHashSet<>();
        int seen = 0;
        int malformed = 0;
        for (Link l : message.links().found(maxCandidates)) {
            if (seen >= maxCandidates) {
                break; // the finder examines more for other readers; this reader stops where its bound says
            }
            if (l.has(Link.ATTRIBUTE) && l.htmlIndex() >= maxCandidates) {
                continue; // past this reader's bound of attribute values in that part
            }
            if (l.has(Link.EMAIL)) {
                if (!l.has(Link.MALFORMED) && emails.size() < maxHosts) {
                    emails.add(l.url());
                }
                continue;
            }
            seen++;
            if (l.has(Link.MALFORMED)) {
                malformed += l.has(Link.SCHEMALESS) ? 0 : 1; // a bare word that is no host name was never a link
                continue;
            }
            String key = l.has(Link.NUMERIC) ? l.host() : l.registrable();
            counts.computeIfAbsent(key, k -> new int[1])[0]++;
            first.putIfAbsent(key, l);
        }
        int obfuscated = message.links().obfuscations();
        List<String> keys = new ArrayList<>(counts.keySet());
        // most linked first (stable: ties keep document order), so padding a message with junk links does not push
        // the domain it is really about past the limit
        keys.sort(Comparator.comparingInt((String k) -> -counts.get(k)[0]));
        List<MessageUrls.UrlHost> out = new ArrayList<>();
        for (String k : keys) {
            if (out.size() >= maxHosts) {
                break;
            }
            Link h = first.get(k);
            boolean ip = h.has(Link.NUMERIC);
            out.add(new MessageUrls.UrlHost(h.host(), ip ? null : h.registrable(), ip, counts.get(k)[0]));
        }
        return new MessageUrls(out, new ArrayList<>(emails), seen, malformed, obfuscated, counts.size());
    }
}

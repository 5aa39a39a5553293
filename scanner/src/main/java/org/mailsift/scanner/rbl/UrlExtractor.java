package org.mailsift.scanner.rbl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
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
        Map<String, Domain> byKey = new HashMap<>();
        List<Domain> domains = new ArrayList<>(); // in the order first met
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
            Domain d = byKey.get(key);
            if (d == null) {
                d = new Domain(l);
                byKey.put(key, d);
                domains.add(d);
            }
            d.count++;
        }
        int obfuscated = message.links().obfuscations();
        // most linked first (stable: ties keep document order), so padding a message with junk links does not push
        // the domain it is really about past the limit
        domains.sort(Comparator.comparingInt((Domain d) -> -d.count));
        List<MessageUrls.UrlHost> out = new ArrayList<>(Math.min(maxHosts, domains.size()));
        for (Domain d : domains) {
            if (out.size() >= maxHosts) {
                break;
            }
            boolean ip = d.first.has(Link.NUMERIC);
            out.add(new MessageUrls.UrlHost(d.first.host(), ip ? null : d.first.registrable(), ip, d.count));
        }
        return new MessageUrls(out, new ArrayList<>(emails), seen, malformed, obfuscated, domains.size());
    }

    /** A registrable domain (or IP) of the message: its first link and how many links it has. */
    private static final class Domain {
        final Link first;
        int count;

        Domain(Link first) {
            this.first = first;
        }
    }
}

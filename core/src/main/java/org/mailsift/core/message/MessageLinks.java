package org.mailsift.core.message;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The message's links: one set per message, each {@link Link} flagged with where it was found, shared by every
 * module that reads links (Bayes, regexp {@code {url}}, multimap {@code url}, the selectors, DNS lists), as Rspamd's
 * modules all read the one {@code task:get_urls()} its message parser filled. Two finders fill it, each run at most
 * once per message and only when a module asks for what it finds, in document order per text part:
 * <ul>
 *   <li>the displayed links ({@link Link#DISPLAYED}): the hrefs of {@code <a>} / {@code <area>} collected while the
 *       parser renders the HTML to text, then the http(s) URLs written in the text -- what {@link ParsedMessage#urls()}
 *       always listed;</li>
 *   <li>every host and address ({@link Link#FOUND}): link attributes of every tag ({@code src}, form {@code action}...),
 *       words with a scheme, bare host names, e-mail addresses, {@code hxxp} / {@code [.]} undone, hosts normalized
 *       with their registrable domain (each distinct host once per message).</li>
 * </ul>
 * {@link #all()} is both, a link found by both one entry with both flags. Safe to read from several threads.
 */
public final class MessageLinks {
    /** URL candidates the finder examines unless a reader asks for more (the DNS lists' stock {@code max_urls}). */
    public static final int DEFAULT_CANDIDATES = 2000;

    private final List<ParsedMessage.TextPart> parts;
    private final List<List<String>> anchors;
    private final int maxDisplayed;

    private List<String> displayed;
    /** Per part: the displayed links read from HTML, then those read from text. */
    private List<List<Link>> displayedHtml;
    private List<List<Link>> displayedText;
    private Found found;
    /** Searches with another bound, for readers of a message the shared search did not read to its end. */
    private Map<Integer, Found> bounded;
    private List<Link> all;

    /** What the finder found with one candidate bound: per part, attribute links then text links. */
    private record Found(int maxCandidates, boolean truncated, List<Link> links, int[] htmlEnd, int[] partEnd,
                         int obfuscations) {
    }

    /**
     * @param parts        the message's text parts
     * @param anchors      per text part, the a/area hrefs the HTML renderer collected (empty for plain parts)
     * @param maxDisplayed displayed links kept per message ({@link ParseLimits#maxUrls()})
     */
    MessageLinks(List<ParsedMessage.TextPart> parts, List<List<String>> anchors, int maxDisplayed) {
        this.parts = parts;
        this.anchors = anchors;
        this.maxDisplayed = maxDisplayed;
    }

    /** The displayed links as written, in order, at most {@link ParseLimits#maxUrls()}: {@link ParsedMessage#urls()}. */
    public synchronized List<String> urls() {
        if (displayed == null) {
            findDisplayed();
        }
        return displayed;
    }

    /**
     * The finder's links ({@link Link#FOUND}) in order, as a finder bound to {@code maxCandidates} URL candidates
     * found them, or more: a reader cuts the list where that bound stops ({@code UrlExtractor}: at its
     * {@code maxCandidates}-th URL candidate, and an attribute link whose {@link Link#htmlIndex()} is past it).
     */
    public synchronized List<Link> found(int maxCandidates) {
        return find(maxCandidates).links;
    }

    /** The {@code hxxp} / {@code [.]} obfuscations the finder undid in the text parts (Rspamd's obscured URLs). */
    public synchronized int obfuscations() {
        return (found != null ? found : find(DEFAULT_CANDIDATES)).obfuscations; // the same whatever the bound
    }

    /** Every link of the message, displayed and found, in document order per part (both finders run). */
    public synchronized List<Link> all() {
        if (all == null) {
            urls();
            Found f = find(DEFAULT_CANDIDATES);
            List<Link> out = new ArrayList<>(f.links.size() + displayed.size());
            int from = 0;
            for (int p = 0; p < parts.size(); p++) {
                merge(displayedHtml.get(p), f.links.subList(from, f.htmlEnd[p]), out);
                merge(displayedText.get(p), f.links.subList(f.htmlEnd[p], f.partEnd[p]), out);
                from = f.partEnd[p];
            }
            all = List.copyOf(out);
        }
        return all;
    }

    private void findDisplayed() {
        List<String> urls = new ArrayList<>();
        displayedHtml = new ArrayList<>(parts.size());
        displayedText = new ArrayList<>(parts.size());
        for (int p = 0; p < parts.size(); p++) {
            List<Link> html = new ArrayList<>(0);
            for (String href : anchors.get(p)) {
                if (urls.size() < maxDisplayed) {
                    urls.add(href);
                    html.add(new Link(href, Link.ANCHOR, null, null, -1));
                }
            }
            int before = urls.size();
            String text = parts.get(p).text();
            if (text != null) {
                Urls.findBare(text, urls, maxDisplayed);
            }
            List<Link> inText = new ArrayList<>(urls.size() - before);
            for (String u : urls.subList(before, urls.size())) {
                inText.add(new Link(u, Link.TEXT, null, null, -1));
            }
            displayedHtml.add(html);
            displayedText.add(inText);
        }
        displayed = List.copyOf(urls);
    }

    /**
     * The finder's links for a reader bound to {@code maxCandidates}: the one shared search when it found everything
     * (nearly all mail) -- the reader then cuts it where its own bound would have stopped -- else a search with
     * exactly that bound, since a search stopped at another bound may miss what this reader would have found.
     */
    private Found find(int maxCandidates) {
        if (found == null) {
            found = search(Math.max(maxCandidates, DEFAULT_CANDIDATES));
        }
        if (!found.truncated || found.maxCandidates == maxCandidates) {
            return found;
        }
        if (bounded == null) {
            bounded = new HashMap<>();
        }
        return bounded.computeIfAbsent(maxCandidates, this::search);
    }

    private Found search(int bound) {
        List<Link> links = new ArrayList<>();
        LinkFinder finder = new LinkFinder(bound, links);
        int[] htmlEnd = new int[parts.size()];
        int[] partEnd = new int[parts.size()];
        for (int p = 0; p < parts.size(); p++) {
            htmlEnd[p] = finder.part(parts.get(p));
            partEnd[p] = links.size();
        }
        return new Found(bound, finder.truncated(), List.copyOf(links), htmlEnd, partEnd, finder.obfuscations());
    }

    /**
     * Both finders' links of one place (a part's HTML or its text), each finder's order kept: a displayed link the
     * finder found too, the same text, becomes one link with both flags.
     */
    private static void merge(List<Link> displayed, List<Link> found, List<Link> out) {
        int j = 0;
        for (Link d : displayed) {
            int match = -1;
            for (int k = j; k < Math.min(found.size(), j + 8); k++) {
                if (found.get(k).url().equals(d.url())) {
                    match = k;
                    break;
                }
            }
            if (match < 0) {
                out.add(d);
                continue;
            }
            out.addAll(found.subList(j, match));
            out.add(found.get(match).withFlags(d.flags()));
            j = match + 1;
        }
        out.addAll(found.subList(j, found.size()));
    }
}

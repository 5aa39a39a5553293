package org.mailsift.scanner.bayes;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.mailsift.core.message.ParsedMessage;

/**
 * Turns a parsed message into its Bayes token set: OSB word pairs over the words of the text parts (a text/plain and
 * text/html alternative that say the same thing count once), subject words in their own space, and metatokens
 * (selected headers, sender/route domains, URL registrable domains, attachment types and names, MIME structure,
 * size bucket). Thread-safe and stateless apart from its settings.
 */
public final class Tokenizer {
    private static final long BODY = TokenHash.seed("body");
    private static final long SUBJECT = TokenHash.seed("subject");
    private static final long META = TokenHash.seed("meta");
    private static final Pattern ADDRESS = Pattern.compile("[\\w.+=-]+@([\\w-]+(?:\\.[\\w-]+)+)");
    private static final Pattern RECEIVED_FROM = Pattern.compile("^from\\s+(\\S+)(?:\\s+\\(([^)]*)\\))?", Pattern.CASE_INSENSITIVE);

    private final TokenizerSettings settings;

    public Tokenizer(TokenizerSettings settings) {
        this.settings = settings;
    }

    public TokenizerSettings settings() {
        return settings;
    }

    public MessageTokens tokenize(ParsedMessage m) {
        LongList out = new LongList();
        for (String text : distinctTexts(m.textParts())) {
            words(text, BODY, out);
        }
        m.subject().ifPresent(s -> words(s, SUBJECT, out));
        long[] content = out.distinctSorted();
        metatokens(m, out);
        return new MessageTokens(out.distinctSorted(), content);
    }

    private void words(String text, long seed, LongList out) {
        LongList w = new LongList();
        String t = text.length() > settings.maxTextChars() ? text.substring(0, settings.maxTextChars()) : text;
        Words.hash(t, seed, settings.minWordLength(), settings.maxWordLength(), settings.has(TokenizerSettings.Extra.SKIP), w);
        int window = settings.window();
        for (int i = 0; i < w.size(); i++) {
            long cur = w.get(i);
            if (settings.unigrams()) {
                out.add(cur);
            }
            for (int d = 1; d < window && i - d >= 0; d++) {
                out.add(TokenHash.pair(cur, w.get(i - d), d));
            }
        }
    }

    /**
     * The texts to tokenize: every text part, except that of two parts in one multipart/alternative whose word
     * sets overlap by more than half (the usual plain + HTML rendering of one text), only the first is kept.
     */
    static List<String> distinctTexts(List<ParsedMessage.TextPart> parts) {
        List<String> kept = new ArrayList<>();
        List<java.util.Set<String>> keptWords = new ArrayList<>();
        List<Boolean> keptAlt = new ArrayList<>();
        if (parts.size() == 1) {
            return List.of(parts.get(0).text());
        }
        for (ParsedMessage.TextPart p : parts) {
            java.util.Set<String> ws = p.inAlternative() ? wordSet(p.text()) : java.util.Set.of();
            boolean duplicate = false;
            for (int i = 0; i < kept.size() && !duplicate; i++) {
                duplicate = p.inAlternative() && keptAlt.get(i) && similarity(ws, keptWords.get(i)) > 0.5;
            }
            if (!duplicate) {
                kept.add(p.text());
                keptWords.add(ws);
                keptAlt.add(p.inAlternative());
            }
        }
        return kept;
    }

    private static java.util.Set<String> wordSet(String text) {
        java.util.Set<String> s = new java.util.HashSet<>();
        if (text == null) {
            return s;
        }
        String t = text.length() > 20_000 ? text.substring(0, 20_000) : text;
        for (String w : t.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (w.length() > 1) {
                s.add(w);
            }
        }
        return s;
    }

    private static double similarity(java.util.Set<String> a, java.util.Set<String> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return a.isEmpty() && b.isEmpty() ? 1 : 0;
        }
        int common = 0;
        for (String w : a) {
            if (b.contains(w)) {
                common++;
            }
        }
        return (double) common / Math.max(a.size(), b.size());
    }

    private void metatokens(ParsedMessage m, LongList out) {
        for (String name : settings.metaHeaders()) {
            for (String v : m.headerValues(name)) {
                String lname = name.toLowerCase(Locale.ROOT);
                meta(out, "h:" + lname + ":" + Words.normalize(v));
                for (String w : Words.normalize(v).split("[\\s;,=\"/()]+")) {
                    if (!w.isEmpty()) {
                        meta(out, "hw:" + lname + ":" + w);
                    }
                }
            }
        }
        int urls = 0;
        for (String url : m.urls()) {
            String host = Domains.hostOf(url);
            String d = Domains.registrable(host);
            if (d != null && urls++ < 32) {
                meta(out, "url:" + d);
                if (settings.has(TokenizerSettings.Extra.URL_PARTS)) {
                    urlParts(url, host, out);
                }
            }
        }
        if (settings.has(TokenizerSettings.Extra.HTML_TAGS)) {
            for (ParsedMessage.TextPart p : m.textParts()) {
                if (p.isHtml()) {
                    htmlTags(p.html(), out);
                }
            }
        }
        if (settings.has(TokenizerSettings.Extra.RECEIVED)) {
            receivedTokens(m, out);
        }
        if (settings.has(TokenizerSettings.Extra.HEADER_WORDS)) {
            headerWords(m, out);
        }
        for (ParsedMessage.Attachment a : m.attachments()) {
            meta(out, "att-type:" + a.contentType());
            if (a.filename() != null) {
                String f = a.filename().toLowerCase(Locale.ROOT);
                int dot = f.lastIndexOf('.');
                meta(out, "att-ext:" + (dot < 0 ? "" : f.substring(dot + 1)));
                for (String w : f.split("[^\\p{L}\\p{N}]+")) {
                    if (w.length() > 1) {
                        meta(out, "att-name:" + w);
                    }
                }
            }
            meta(out, "att-size:" + sizeBucket(a.size()));
        }
        for (String t : m.partTypes()) {
            meta(out, "part:" + t);
        }
        meta(out, "parts:" + Math.min(m.partTypes().size(), 10));
        for (String d : m.damage()) {
            meta(out, "damage:" + d);
        }
        meta(out, "size:" + sizeBucket(m.raw().length));
        if (settings.envelopeHeaders()) {
            envelopeTokens(m, out);
        }
    }

    /** Who sent it and how it travelled: the strongest non-content evidence a per-site filter has. */
    private void envelopeTokens(ParsedMessage m, LongList out) {
        for (String h : List.of("From", "Reply-To", "Return-Path", "Sender", "To", "Cc")) {
            String lh = h.toLowerCase(Locale.ROOT);
            for (String v : m.headerValues(h)) {
                Matcher a = ADDRESS.matcher(v.toLowerCase(Locale.ROOT));
                int n = 0;
                while (a.find() && n++ < 5) {
                    meta(out, "addr:" + lh + ":" + a.group());
                    meta(out, "dom:" + lh + ":" + a.group(1));
                }
                if (h.equals("From")) {
                    for (String w : Words.normalize(v).split("[^\\p{L}\\p{N}]+")) {
                        if (w.length() > 1) {
                            meta(out, "from-word:" + w);
                        }
                    }
                }
            }
        }
        m.messageId().ifPresent(id -> {
            int at = id.lastIndexOf('@');
            meta(out, "mid-dom:" + (at < 0 ? "" : id.substring(at + 1).toLowerCase(Locale.ROOT)));
        });
        int received = 0;
        for (String r : m.headerValues("Received")) {
            if (received++ >= 4) {
                break;
            }
            Matcher rm = RECEIVED_FROM.matcher(r.trim());
            if (rm.find()) {
                String d = Domains.registrable(rm.group(1).toLowerCase(Locale.ROOT));
                meta(out, "rcvd:" + (d == null ? "unresolved" : d));
            }
        }
        for (ParsedMessage.Header h : m.headers()) {
            meta(out, "hname:" + h.name().toLowerCase(Locale.ROOT));
        }
    }

    private static final Pattern URL_WORD = Pattern.compile("[\\p{L}\\p{N}]{2,20}");
    private static final Pattern HTML_TAG = Pattern.compile("<\\s*([a-zA-Z][a-zA-Z0-9]{0,15})([^>]{0,500})>");
    private static final Pattern HTML_ATTR = Pattern.compile("([a-zA-Z-]{1,20})\\s*=");
    private static final Pattern IPV4 = Pattern.compile("\\b(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.\\d{1,3}\\b");
    private static final Pattern RECEIVED_BY = Pattern.compile("\\bby\\s+([\\w.-]+\\.[a-z]{2,})", Pattern.CASE_INSENSITIVE);
    private static final Pattern HELO = Pattern.compile("\\bHELO\\s+([\\w.-]+)", Pattern.CASE_INSENSITIVE);
    private static final java.util.Set<String> HEADERS_DONE_ELSEWHERE = java.util.Set.of("received", "date", "message-id",
            "subject", "from", "reply-to", "return-path", "sender", "content-type", "user-agent", "x-mailer", "x-mimeole",
            "organization", "organisation", "delivered-to", "references", "in-reply-to", "content-transfer-encoding",
            "mime-version");

    /** The host and the words of the path and query: what a campaign varies least. */
    private static void urlParts(String url, String host, LongList out) {
        if (host != null) {
            meta(out, "url-host:" + host);
        }
        int start = url.indexOf("://");
        String rest = start < 0 ? url : url.substring(start + 3);
        int slash = rest.indexOf('/');
        if (slash < 0) {
            return;
        }
        Matcher w = URL_WORD.matcher(rest.substring(slash).toLowerCase(Locale.ROOT));
        int n = 0;
        while (w.find() && n++ < 10) {
            meta(out, "url-word:" + w.group());
        }
    }

    /** Tag and attribute names: the markup a text rendering drops (fonts, colours, images, forms). */
    private static void htmlTags(String html, LongList out) {
        String h = html.length() > 100_000 ? html.substring(0, 100_000) : html;
        Matcher t = HTML_TAG.matcher(h);
        while (t.find()) {
            String tag = t.group(1).toLowerCase(Locale.ROOT);
            meta(out, "html-tag:" + tag);
            Matcher a = HTML_ATTR.matcher(t.group(2));
            while (a.find()) {
                meta(out, "html-attr:" + tag + ":" + a.group(1).toLowerCase(Locale.ROOT));
            }
        }
    }

    /** The relays: client IP networks, HELO names and the receiving hosts' domains of the first hops. */
    private static void receivedTokens(ParsedMessage m, LongList out) {
        int n = 0;
        for (String r : m.headerValues("Received")) {
            if (n++ >= 6) {
                break;
            }
            Matcher ip = IPV4.matcher(r);
            while (ip.find()) {
                meta(out, "rcvd-ip24:" + ip.group(1) + "." + ip.group(2) + "." + ip.group(3));
                meta(out, "rcvd-ip16:" + ip.group(1) + "." + ip.group(2));
            }
            Matcher by = RECEIVED_BY.matcher(r);
            if (by.find()) {
                String d = Domains.registrable(by.group(1).toLowerCase(Locale.ROOT));
                meta(out, "rcvd-by:" + d);
            }
            Matcher helo = HELO.matcher(r);
            if (helo.find()) {
                meta(out, "rcvd-helo:" + helo.group(1).toLowerCase(Locale.ROOT));
            }
        }
    }

    /** Words of the recipients' display names and of the remaining short headers, each in its header's space. */
    private static void headerWords(ParsedMessage m, LongList out) {
        int n = 0;
        for (ParsedMessage.Header h : m.headers()) {
            String name = h.name().toLowerCase(Locale.ROOT);
            if (HEADERS_DONE_ELSEWHERE.contains(name) || h.value().length() > 300 || n++ >= 40) {
                continue;
            }
            for (String w : Words.normalize(h.value()).split("[^\\p{L}\\p{N}@.]+")) {
                if (w.length() > 1 && w.length() <= 40) {
                    meta(out, "hdr:" + name + ":" + w);
                }
            }
        }
    }

    private static void meta(LongList out, String token) {
        out.add(TokenHash.of(META, token));
    }

    static int sizeBucket(long size) {
        return 64 - Long.numberOfLeadingZeros(Math.max(1, size));
    }
}

package org.mailsift.scanner.multimap;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import com.google.common.net.InetAddresses;
import org.mailsift.core.message.ParsedMessage;
import org.mailsift.scanner.rules.MailAddress;
import org.mailsift.scanner.rules.ScanContext;
import org.mailsift.scanner.selectors.ReceivedHeader;
import org.mailsift.scanner.selectors.SelectorInput;

/**
 * The views of one message that multimap rules look values up from (MIME addresses, parsed Received hops, URLs and
 * their parts, content texts, the client address, registrable domains, lower-cased values), each computed once per
 * scan on first use and then shared by every rule: a per-thread memo for the message being scanned (a scan runs its
 * rules on one thread; the memo holds the last message of its thread only). Typed fields, not a map of string keys,
 * so a rule's lookup costs a field read.
 */
final class MessageMemo {
    private static final ThreadLocal<MessageMemo> CURRENT = ThreadLocal.withInitial(MessageMemo::new);
    private static final int MAX_URLS = 1000;
    /** Values shorter than this are folded each time (cheaper than a lookup); longer ones once per message. */
    private static final int FOLD_MEMO_MIN = 64;
    private static final int FOLD_MEMO_MAX = 256;

    /** A distinct URL of the message with its parts. */
    record Url(String url, UrlParts parts) {
    }

    private ParsedMessage message;
    private final Map<Object, Object> values = new HashMap<>();
    private List<String> mimeFrom;
    private List<String> mimeRcpt;
    private List<ReceivedHeader> received;
    private List<Url> urls;
    private SelectorInput selectorInput;
    private boolean clientIpDone;
    private InetAddress clientIp;
    private final Map<String, List<String>> content = new HashMap<>();
    private final Map<String, UrlParts> urlParts = new HashMap<>();
    private final Map<String, String> registrable = new HashMap<>();
    private final Map<String, List<MailAddress>> addresses = new HashMap<>();
    private final Map<String, String> lowered = new IdentityHashMap<>();

    private MessageMemo() {
    }

    static <T> T get(ParsedMessage message, Object key, Supplier<T> compute) {
        return enter(message).value(key, compute);
    }

    /** Makes {@code message} this thread's current one (a rule calls it first), for {@link #current}. */
    static MessageMemo enter(ParsedMessage message) {
        MessageMemo memo = CURRENT.get();
        if (memo.message != message) {
            memo.reset(message);
        }
        return memo;
    }

    /** This thread's memo, of the message its last rule entered (filters see values, not the message). */
    static MessageMemo current() {
        return CURRENT.get();
    }

    private void reset(ParsedMessage m) {
        message = m;
        values.clear();
        mimeFrom = null;
        mimeRcpt = null;
        received = null;
        urls = null;
        selectorInput = null;
        clientIpDone = false;
        clientIp = null;
        content.clear();
        urlParts.clear();
        registrable.clear();
        addresses.clear();
        lowered.clear();
    }

    @SuppressWarnings("unchecked")
    private <T> T value(Object key, Supplier<T> compute) {
        Object v = values.get(key);
        if (v == null) {
            v = compute.get();
            values.put(key, v);
        }
        return (T) v;
    }

    /** The addresses of the From headers. */
    List<String> mimeFrom() {
        if (mimeFrom == null) {
            mimeFrom = mimeAddresses(message, "From");
        }
        return mimeFrom;
    }

    /** The addresses of the To headers, then of the Cc headers. */
    List<String> mimeRcpt() {
        if (mimeRcpt == null) {
            mimeRcpt = mimeAddresses(message, "To", "Cc");
        }
        return mimeRcpt;
    }

    private static List<String> mimeAddresses(ParsedMessage m, String... headers) {
        List<String> out = new ArrayList<>();
        for (String h : headers) {
            for (ParsedMessage.Header header : m.headers()) {
                if (header.name().equalsIgnoreCase(h)) {
                    for (MailAddress a : MailAddress.parseList(header.rawValue())) {
                        if (!a.addr().isEmpty()) {
                            out.add(a.addr());
                        }
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    /** The Received headers, newest first, parsed once for the message's rules and selectors. */
    List<ReceivedHeader> received(ScanContext ctx) {
        if (received == null) {
            received = ReceivedHeader.of(selectorInput(ctx));
        }
        return received;
    }

    /** The message's distinct URLs (at most {@value #MAX_URLS}), each with its parts. */
    List<Url> urls() {
        if (urls == null) {
            Set<String> seen = new HashSet<>();
            List<Url> out = new ArrayList<>();
            for (String u : message.urls()) {
                if (seen.size() >= MAX_URLS) {
                    break;
                }
                if (seen.add(u)) {
                    out.add(new Url(u, urlParts(u)));
                }
            }
            urls = out;
        }
        return urls;
    }

    /** A URL's parts, once per message. */
    UrlParts urlParts(String url) {
        UrlParts p = urlParts.get(url);
        if (p == null) {
            p = UrlParts.of(url);
            urlParts.put(url, p);
        }
        return p;
    }

    /** The client's address, or null when the envelope has none (or not an address). */
    InetAddress clientIp(String ip) {
        if (!clientIpDone) {
            clientIpDone = true;
            clientIp = ip != null && InetAddresses.isInetAddress(ip) ? InetAddresses.forString(ip) : null;
        }
        return clientIp;
    }

    /** One selector input per message, shared by the selector and combined rules (it memoizes what they extract). */
    SelectorInput selectorInput(ScanContext ctx) {
        if (selectorInput == null) {
            selectorInput = SelectorInput.of(ctx);
        }
        return selectorInput;
    }

    /** The texts a content rule with {@code filter} matches. */
    List<String> content(String filter, Supplier<List<String>> compute) {
        List<String> c = content.get(filter);
        if (c == null) {
            c = compute.get();
            content.put(filter, c);
        }
        return c;
    }

    /** The registrable domain of a host (Public Suffix List), once per message. */
    String registrable(String host) {
        if (host == null) {
            return null;
        }
        String r = registrable.get(host);
        if (r == null) {
            r = Domains.registrable(host);
            registrable.put(host, r);
        }
        return r;
    }

    /** The addresses of a header value, parsed once per message. */
    List<MailAddress> addresses(String value) {
        List<MailAddress> a = addresses.get(value);
        if (a == null) {
            a = MailAddress.parseList(value);
            addresses.put(value, a);
        }
        return a;
    }

    /**
     * {@code value} lower-cased by {@code fold}; long values (content texts, Subjects matched by several maps) once per
     * message. Keyed by identity: the same string object, so the same text, whichever message it came from.
     */
    String lowered(String value, java.util.function.UnaryOperator<String> fold) {
        if (value.length() < FOLD_MEMO_MIN) {
            return fold.apply(value);
        }
        String l = lowered.get(value);
        if (l == null) {
            l = fold.apply(value);
            if (lowered.size() < FOLD_MEMO_MAX) {
                lowered.put(value, l);
            }
        }
        return l;
    }
}

package org.mailsift.scanner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import org.mailsift.core.dns.DnsLookups;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.message.ParsedMessage;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.HeaderChange;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.scanner.rules.ScanContext;
import org.mailsift.scanner.rules.SymbolHits;

/**
 * The per-scan state rules write into. Inserting a symbol again keeps the larger runtime score and merges the
 * options (Rspamd's one-shot behaviour, which all our rules want).
 */
final class EngineScanContext implements ScanContext, SymbolHits {
    static final int MAX_OPTIONS = 32;

    record Hit(String name, double runtimeScore, LinkedHashSet<String> options) {
    }

    private final ParsedMessage message;
    private final Envelope envelope;
    private final boolean local;
    private final Map<String, Hit> hits = new LinkedHashMap<>();
    private final java.util.Set<String> hidden = new java.util.HashSet<>();
    private Action forcedAction;
    private String smtpMessage;
    private String forcedBy;
    private ScanResult.BayesInfo bayes;
    private final DnsLookups dns;
    private final List<HeaderChange> headerChanges = new ArrayList<>();
    private java.util.function.Predicate<String> inserts = symbol -> true;

    EngineScanContext(ParsedMessage message, Envelope envelope, boolean local) {
        this(message, envelope, local, DnsLookups.none());
    }

    EngineScanContext(ParsedMessage message, Envelope envelope, boolean local, DnsLookups dns) {
        this.message = message;
        this.envelope = envelope;
        this.local = local;
        this.dns = dns;
    }

    @Override
    public DnsLookups dns() {
        return dns;
    }

    @Override
    public ParsedMessage message() {
        return message;
    }

    @Override
    public Envelope envelope() {
        return envelope;
    }

    /**
     * Only symbols passing {@code enabled} are inserted: a symbol the message's settings disable is never there, so
     * no composite sees it (Rspamd does not run a disabled symbol at all).
     */
    void onlyInserting(java.util.function.Predicate<String> enabled) {
        this.inserts = enabled;
    }

    @Override
    public void insert(String symbol, double runtimeScore, List<String> options) {
        if (!inserts.test(symbol)) {
            return;
        }
        Hit h = hits.get(symbol);
        if (h == null) {
            h = new Hit(symbol, runtimeScore, new LinkedHashSet<>());
            hits.put(symbol, h);
        } else if (Math.abs(runtimeScore) > Math.abs(h.runtimeScore())) {
            Hit bigger = new Hit(symbol, runtimeScore, h.options());
            hits.put(symbol, bigger);
            h = bigger;
        }
        for (String o : options) {
            if (h.options().size() >= MAX_OPTIONS) {
                break;
            }
            if (o != null) {
                h.options().add(sanitize(o));
            }
        }
    }

    /** Options end up in a header: no line breaks, no control characters, bounded length. */
    private static String sanitize(String o) {
        StringBuilder sb = new StringBuilder(Math.min(o.length(), 128));
        for (int i = 0; i < o.length() && sb.length() < 128; i++) {
            char c = o.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? ' ' : c);
        }
        return sb.toString();
    }

    @Override
    public void forceAction(Action action, String smtpMessage) {
        if (forcedAction == null) {
            this.forcedAction = action;
            this.smtpMessage = smtpMessage;
        }
    }

    /**
     * Names the rule whose step just ran as the one that forced the action, if that step forced it (the engine calls
     * this after each rule; the first forced action and its rule stay).
     */
    void attributeForcedAction(String rule) {
        if (forcedAction != null && forcedBy == null) {
            forcedBy = rule;
        }
    }

    @Override
    public void bayes(ScanResult.BayesInfo info) {
        this.bayes = info;
    }

    @Override
    public boolean isLocalOrAuthenticated() {
        return local || envelope.isAuthenticated();
    }

    @Override
    public boolean isLocal() {
        return local;
    }

    List<Hit> hits() {
        return new ArrayList<>(hits.values());
    }

    @Override
    public boolean has(String symbol) {
        return hits.containsKey(symbol);
    }

    @Override
    public java.util.Collection<String> names() {
        return java.util.Collections.unmodifiableSet(hits.keySet());
    }

    @Override
    public double runtimeScore(String symbol) {
        Hit h = hits.get(symbol);
        return h == null ? 0 : h.runtimeScore();
    }

    @Override
    public java.util.Collection<String> options(String symbol) {
        Hit h = hits.get(symbol);
        return h == null ? List.of() : java.util.Collections.unmodifiableSet(h.options());
    }

    @Override
    public void insert(String symbol, double runtimeScore) {
        insert(symbol, runtimeScore, List.of());
    }

    @Override
    public void removeWeight(String symbol) {
        hits.computeIfPresent(symbol, (k, h) -> new Hit(k, 0.0, h.options()));
    }

    @Override
    public void hide(String symbol) {
        if (hits.containsKey(symbol)) {
            hidden.add(symbol);
        }
    }

    /** Whether a final rule (a composite) hid the symbol: its score counts, it is not listed. */
    boolean isHidden(String symbol) {
        return hidden.contains(symbol);
    }

    Action forcedAction() {
        return forcedAction;
    }

    String smtpMessage() {
        return smtpMessage;
    }

    @Override
    public void addHeaderChange(HeaderChange change) {
        headerChanges.add(java.util.Objects.requireNonNull(change));
    }

    List<HeaderChange> headerChanges() {
        return headerChanges;
    }

    String forcedBy() {
        return forcedBy;
    }

    ScanResult.BayesInfo bayes() {
        return bayes;
    }
}

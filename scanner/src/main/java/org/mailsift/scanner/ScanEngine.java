package org.mailsift.scanner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.mailsift.core.dns.DnsLookups;
import org.mailsift.core.dns.DnsResolver;

import org.mailsift.core.message.Envelope;
import org.mailsift.core.message.MessageParser;
import org.mailsift.core.message.ParseLimits;
import org.mailsift.core.message.ParsedMessage;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.ActionsSettings;
import org.mailsift.core.scan.HeaderChange;
import org.mailsift.core.scan.HeaderContributor;
import org.mailsift.core.scan.MessageScanner;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.core.scan.SymbolResult;
import org.mailsift.scanner.headers.SpamHeaders;
import org.mailsift.scanner.policy.PostScanSteps;
import org.mailsift.scanner.policy.Verdict;
import org.mailsift.scanner.rules.AsyncRule;
import org.mailsift.scanner.rules.FinalRule;
import org.mailsift.scanner.rules.Prefilter;
import org.mailsift.scanner.rules.Rule;
import org.mailsift.scanner.rules.ScanContext;
import org.mailsift.scanner.rules.SymbolDefinition;
import org.mailsift.scanner.usersettings.MessageSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scan engine: parses the message once, runs every rule (each isolated: a rule that throws is logged and
 * skipped), scores the symbols with the configured weights and group caps, picks the action and renders the
 * headers. Thread-safe and stateless between scans.
 */
public final class ScanEngine implements MessageScanner, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ScanEngine.class);
    /** How long past the DNS deadline the engine waits for an async rule's own computing. */
    private static final Duration ASYNC_SLACK = Duration.ofMillis(300);
    /** Symbols in X-Spamd-Result order: absolute score descending, then name. */
    public static final Comparator<SymbolResult> HEADER_ORDER = Comparator
            .comparingDouble((SymbolResult s) -> -Math.abs(s.score())).thenComparing(SymbolResult::name);

    private final List<Rule> rules;
    /** Each rule with what the engine asks of it per scan, computed once per configuration. */
    private final List<Entry> entries;
    private final EngineSettings settings;
    private final SymbolTable symbols;
    private final MessageParser parser;
    private final String hostname;
    private final DnsResolver resolver;
    private final Duration dnsBudget;
    private final List<HeaderContributor> headerContributors;
    private final PostScanSteps postScan;

    public ScanEngine(List<Rule> rules, EngineSettings settings, ParseLimits limits, String hostname) {
        this(rules, settings, limits, hostname, DnsResolver.none(), Duration.ZERO);
    }

    public ScanEngine(List<Rule> rules, EngineSettings settings, ParseLimits limits, String hostname,
                      DnsResolver resolver, Duration dnsBudget) {
        this(rules, List.of(), settings, limits, hostname, resolver, dnsBudget);
    }

    /**
     * @param headerContributors modules adding their own headers after the verdict's, in this order
     * @param resolver  the daemon's resolver (or {@link DnsResolver#none()}: DNS checks stay silent)
     * @param dnsBudget how long all of one message's lookups may take together
     */
    public ScanEngine(List<Rule> rules, List<HeaderContributor> headerContributors, EngineSettings settings,
                      ParseLimits limits, String hostname, DnsResolver resolver, Duration dnsBudget) {
        this(rules, headerContributors, PostScanSteps.NONE, settings, limits, hostname, resolver, dnsBudget);
    }

    /** @param postScan policy steps after scoring (greylist, ratelimit, replies), see PostScanStep */
    public ScanEngine(List<Rule> rules, List<HeaderContributor> headerContributors, PostScanSteps postScan,
                      EngineSettings settings, ParseLimits limits, String hostname, DnsResolver resolver,
                      Duration dnsBudget) {
        this.postScan = postScan;
        this.headerContributors = List.copyOf(headerContributors);
        this.resolver = resolver;
        this.dnsBudget = dnsBudget;
        this.rules = List.copyOf(rules);
        this.entries = this.rules.stream().map(Entry::of).toList();
        this.settings = settings;
        this.symbols = new SymbolTable(this.rules, settings.groups());
        this.parser = new MessageParser(limits);
        this.hostname = hostname;
    }

    public SymbolTable symbols() {
        return symbols;
    }

    /**
     * Stops the background work of its rules (multimap's map watching) when a reload replaces this engine or the
     * daemon stops; scans still running finish normally.
     */
    @Override
    public void close() {
        rules.forEach(rule -> closeQuietly(rule, "rule " + ruleName(rule)));
        // post-scan steps: greylist stops following its whitelist maps
        postScan.steps().forEach(step -> closeQuietly(step, "post-scan step " + step.getClass().getSimpleName()));
    }

    private static void closeQuietly(Object o, String what) {
        if (o instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("{} did not close cleanly: {}", what, e.toString());
            }
        }
    }

    public EngineSettings settings() {
        return settings;
    }

    @Override
    public ScanResult scan(byte[] rawMessage, Envelope envelope) {
        long started = System.nanoTime();
        Envelope env = envelope == null ? Envelope.EMPTY : envelope;
        ParsedMessage message = parser.parseMessage(rawMessage);
        boolean local = settings.options().localAddrs().contains(env.clientIp());
        DnsLookups dns = resolver.isEnabled() ? DnsLookups.startingNow(resolver, dnsBudget) : DnsLookups.none();
        EngineScanContext ctx = new EngineScanContext(message, env, local, dns);
        // settings.conf / Settings-Id: which rules run, which symbols count, the thresholds (Rspamd's SETTINGS_CHECK)
        MessageSettings applied = settings.userSettings().select(message, env, local);
        ActionsSettings actions = applied.actions(settings.actions());
        applied.apply().headerChanges().forEach(ctx::addHeaderChange); // settings' add_headers / remove_headers
        if (!applied.isNone()) {
            ctx.onlyInserting(name -> {
                SymbolDefinition d = symbols.get(name);
                return applied.enabled(name, d == null ? null : d.group());
            });
        }
        // prefilters (ratelimit, multimap prefilter = true) before everything: their pre-result starts no other rule
        for (Entry e : entries) {
            if (e.kind() == Kind.PREFILTER && ctx.forcedAction() == null && runs(applied, e)) {
                runRule(e.name(), ctx, e.rule()::check, message, env);
            }
        }
        // network checks first, so their lookups run (all in parallel) while the other rules compute
        List<Map.Entry<Entry, CompletableFuture<Consumer<ScanContext>>>> pending = new ArrayList<>();
        for (Entry e : entries) {
            if (e.kind() == Kind.ASYNC && runs(applied, e) && ctx.forcedAction() == null) {
                AsyncRule async = (AsyncRule) e.rule();
                runRule(e.name(), ctx, c -> pending.add(Map.entry(e, async.start(c).toCompletableFuture())), message,
                        env);
            }
        }
        for (Entry e : entries) {
            if (ctx.forcedAction() != null) {
                break; // a pre-result (GTUBE) ends the scan, as Rspamd's passthrough does
            }
            if (e.kind() != Kind.PLAIN || !runs(applied, e)) {
                continue;
            }
            runRule(e.name(), ctx, e.rule()::check, message, env);
        }
        finishAsync(ctx, pending, message, env);
        applied.insertedSymbols().forEach((symbol, runtimeScore) -> ctx.insert(symbol, runtimeScore, List.of()));
        runFinalRules(ctx, message, env); // composites: after every rule, before the sum
        List<SymbolResult> results = score(ctx.hits(), applied);
        double score = 0;
        for (SymbolResult r : results) {
            score += r.score();
        }
        results.removeIf(r -> ctx.isHidden(r.name())); // a composite's remove_symbol: scored, not listed
        Action action;
        if (ctx.forcedAction() != null) {
            action = ctx.forcedAction();
            Double threshold = actions.thresholds().get(action);
            if (threshold != null) {
                score = threshold;
            }
        } else {
            action = actions.actionFor(score);
        }
        // post-filters (greylist, ratelimit, replies) see the scored verdict and may change it
        Verdict verdict = postScan.apply(ctx, new Verdict(round(score), action, results, ctx.forcedAction(),
                ctx.forcedBy(), ctx.smtpMessage() != null ? ctx.smtpMessage() : applied.smtpMessage()));
        score = round(verdict.score());
        action = verdict.action();
        results = new ArrayList<>(verdict.symbols());
        results.sort(HEADER_ORDER);
        String subject = action == Action.REWRITE_SUBJECT
                ? actions.rewriteSubject(message.subject().orElse(""), score) : null;
        double required = actions.requiredScore();
        SpamHeaders.Scoring scoring = new SpamHeaders.Scoring(score, required, action, results, env.queueId(),
                verdict.forcedAction(), verdict.forcedBy(), verdict.smtpMessage(), subject);
        List<HeaderChange> headers = new ArrayList<>(SpamHeaders.render(scoring, message, local, env.isAuthenticated(),
                settings.milterHeaders(), hostname));
        headers.addAll(ctx.headerChanges());
        ScanResult result = new ScanResult(score, required, action, actions.wireThresholds(), results,
                message.messageId().orElse("undef"), subject, verdict.smtpMessage(), headers, 0, ctx.bayes());
        for (HeaderContributor c : headerContributors) {
            try {
                headers.addAll(c.headerChanges(rawMessage, message, env, result));
                result = result.withHeaderChanges(headers);
            } catch (RuntimeException e) {
                LOG.warn("header contributor {} failed on message {}; its headers are left out: {}",
                        c.getClass().getSimpleName(), result.messageId(), e.toString());
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new ScanResult(score, required, action, result.thresholds(), results, result.messageId(), subject,
                verdict.smtpMessage(), headers, seconds, ctx.bayes());
    }

    /**
     * Waits for the async rules (at most until the DNS deadline plus a little slack: their lookups are bounded by
     * it already, so only a broken rule is cut here) and applies their results.
     */
    private void finishAsync(EngineScanContext ctx, List<Map.Entry<Entry, CompletableFuture<Consumer<ScanContext>>>> pending,
                             ParsedMessage message, Envelope env) {
        long waitUntil = System.nanoTime() + ctx.dns().remaining().toNanos() + ASYNC_SLACK.toNanos();
        // a pre-result of a rule (GTUBE) ends the scan as Rspamd's passthrough does: no network results after it,
        // finished or not; an action forced by a network result itself (DMARC policy) keeps the others
        boolean preResult = ctx.forcedAction() != null;
        for (Map.Entry<Entry, CompletableFuture<Consumer<ScanContext>>> p : pending) {
            String rule = p.getKey().name();
            if (preResult) {
                p.getValue().cancel(false);
                continue;
            }
            try {
                p.getValue().get(Math.max(0, waitUntil - System.nanoTime()), TimeUnit.NANOSECONDS).accept(ctx);
                ctx.attributeForcedAction(rule);
            } catch (TimeoutException e) {
                p.getValue().cancel(false);
                LOG.warn("rule {} did not finish within the DNS budget on message {}; skipped", rule,
                        message.messageId().orElse("undef"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                ruleFailed(rule, message, env, e.getCause());
            } catch (RuntimeException | StackOverflowError e) {
                ruleFailed(rule, message, env, e);
            }
        }
    }

    private void runFinalRules(EngineScanContext ctx, ParsedMessage message, Envelope env) {
        for (Entry e : entries) {
            if (e.kind() == Kind.FINAL && ctx.forcedAction() == null) {
                FinalRule last = (FinalRule) e.rule();
                runRule(e.name(), ctx, c -> last.finish(ctx, symbols), message, env);
            }
        }
    }

    /**
     * Runs one rule's step on the scan thread: a pre-result it forces is attributed to it (X-Rspamd-Pre-Result's
     * module=), a failure is logged with its name and the rule skipped.
     */
    private static void runRule(String name, EngineScanContext ctx, Consumer<ScanContext> step, ParsedMessage message,
                                Envelope env) {
        try {
            step.accept(ctx);
        } catch (RuntimeException | StackOverflowError e) {
            ruleFailed(name, message, env, e);
        }
        ctx.attributeForcedAction(name);
    }

    private static void ruleFailed(String rule, ParsedMessage message, Envelope env, Throwable e) {
        LOG.warn("rule {} failed on message {} (queue id {}); skipped: {}", rule,
                message.messageId().orElse("undef"), env.queueId() == null ? "-" : env.queueId(), String.valueOf(e));
        LOG.debug("rule failure", e);
    }

    /**
     * Final score = weight × runtime score, reduced so a group's positive total never exceeds its max_score; the
     * message's settings drop disabled symbols and may set a symbol's weight.
     */
    private List<SymbolResult> score(List<EngineScanContext.Hit> hits, MessageSettings applied) {
        Map<String, Double> groupTotals = new HashMap<>();
        List<SymbolResult> out = new ArrayList<>(hits.size());
        for (EngineScanContext.Hit h : hits) {
            SymbolDefinition d = symbols.get(h.name());
            if (!applied.enabled(h.name(), d.group())) {
                continue;
            }
            double weight = applied.weight(h.name(), d.weight());
            double s = weight * h.runtimeScore();
            Double cap = settings.groups().groupMaxScore().get(d.group());
            if (cap != null && cap > 0 && s > 0) {
                double used = groupTotals.getOrDefault(d.group(), 0.0);
                if (used + s > cap) {
                    s = Math.max(0, cap - used);
                }
                groupTotals.put(d.group(), used + s);
            }
            out.add(new SymbolResult(h.name(), round(s), weight, d.description(), List.copyOf(h.options())));
        }
        return out;
    }

    /** Whether the message's settings let a rule run: when any of its symbols is enabled. */
    private boolean runs(MessageSettings applied, Entry rule) {
        return applied.isNone() || applied.runs(rule.symbolNames(), name -> symbols.get(name).group());
    }

    private static double round(double d) {
        return Math.round(d * 1e6) / 1e6;
    }

    /** Which of the engine's passes runs a rule (a prefilter before the others, async rules started first...). */
    private enum Kind { PREFILTER, ASYNC, FINAL, PLAIN }

    /**
     * A rule with its name (in logs and X-Rspamd-Pre-Result's module=), its symbols' names (for the settings) and its
     * pass: what the engine asked of each rule on every scan, now once per configuration.
     */
    private record Entry(Rule rule, String name, List<String> symbolNames, Kind kind) {
        static Entry of(Rule rule) {
            Kind kind = rule instanceof Prefilter ? Kind.PREFILTER
                    : rule instanceof AsyncRule ? Kind.ASYNC
                    : rule instanceof FinalRule ? Kind.FINAL : Kind.PLAIN;
            return new Entry(rule, ruleName(rule), rule.symbols().stream().map(SymbolDefinition::name).toList(), kind);
        }
    }

    private static String ruleName(Rule rule) {
        if (rule instanceof Prefilter p && p.module() != null) {
            return p.module();
        }
        List<SymbolDefinition> s = rule.symbols();
        return s.isEmpty() ? rule.getClass().getSimpleName() : s.get(0).name();
    }
}

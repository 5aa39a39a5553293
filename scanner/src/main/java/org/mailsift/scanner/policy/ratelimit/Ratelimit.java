package org.mailsift.scanner.policy.ratelimit;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.SymbolResult;
import org.mailsift.scanner.policy.PostScanStep;
import org.mailsift.scanner.policy.StoreOutage;
import org.mailsift.scanner.policy.Verdict;
import org.mailsift.scanner.rules.Prefilter;
import org.mailsift.scanner.rules.ScanContext;
import org.mailsift.scanner.rules.SymbolDefinition;
import org.mailsift.scanner.selectors.SelectorInput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rspamd's ratelimit module: a prefilter checks the message's buckets before any rule runs (one store round trip
 * for all of them) and soft-rejects a message over a limit ({@code Ratelimit "NAME" exceeded}, 451 through the
 * milter) so the scan stops there; a post-scan step puts each message that was accepted into its buckets, with the
 * verdict's dynamic factor (ham leaks faster, spam slower), or drops its reservation when another module refused it.
 * A store that does not answer lets mail pass, with one log line until it answers again.
 */
public final class Ratelimit {
    private static final Logger LOG = LoggerFactory.getLogger(Ratelimit.class);
    static final String MODULE = "ratelimit";

    private final RatelimitSettings settings;
    private final RateStore store;
    private final Clock clock;
    private final StoreOutage outage;
    /** The buckets each scan reserved, from its check to its update; a scan that never finishes is collected. */
    private final Map<ScanContext, Checked> checked = Collections.synchronizedMap(new WeakHashMap<>());

    private record Checked(List<RateKeys.MessageBucket> buckets, List<RateStore.Bucket> reserved) {
    }

    public Ratelimit(RatelimitSettings settings, RateStore store, Clock clock, StoreOutage outage) {
        this.settings = settings;
        this.store = store;
        this.clock = clock;
        this.outage = outage;
    }

    /** The check, as a prefilter rule (before every other rule). */
    public Prefilter check() {
        return new Check();
    }

    /** The update, as a post-scan step. */
    public PostScanStep update() {
        return this::afterScoring;
    }

    /** Closed with the engine: stops following the whitelist maps. */
    private final class Check implements Prefilter, AutoCloseable {
        @Override
        public String module() {
            return MODULE;
        }

        @Override
        public void close() {
            settings.close();
        }

        @Override
        public List<SymbolDefinition> symbols() {
            // RATELIMIT_CHECK (weight 0, never inserted) names the check, so settings.conf can disable it
            Set<String> names = new LinkedHashSet<>(List.of("RATELIMIT_CHECK"));
            if (settings.symbol() != null) {
                names.add(settings.symbol());
            }
            if (settings.infoSymbol() != null) {
                names.add(settings.infoSymbol());
            }
            for (RatelimitSettings.RateLimit r : settings.rates()) {
                for (RateBucketConfig b : r.buckets()) {
                    if (b.symbol() != null) {
                        names.add(b.symbol());
                    }
                }
            }
            List<SymbolDefinition> out = new ArrayList<>();
            for (String n : names) {
                out.add(new SymbolDefinition(n, MODULE, 0.0,
                        n.equals("RATELIMIT_CHECK") ? "Rate limits checked" : "Rate limit exceeded"));
            }
            return out;
        }

        @Override
        public void check(ScanContext ctx) {
            checkLimits(ctx);
        }
    }

    private void checkLimits(ScanContext ctx) {
        if (!settings.active() || (!settings.allowLocal() && ctx.envelope().manualCheck()) || whitelisted(ctx)) {
            return; // rspamc / the controller scanning a message is not mail being sent (Rspamd's allow_local)
        }
        List<RateKeys.MessageBucket> buckets = RateKeys.of(settings, SelectorInput.of(ctx), ctx.isLocal());
        if (buckets.isEmpty()) {
            return;
        }
        int recipients = Math.max(1, ctx.envelope().rcptTo().size());
        List<RateStore.Bucket> requests = new ArrayList<>(buckets.size());
        for (RateKeys.MessageBucket b : buckets) {
            requests.add(request(b, recipients));
        }
        if (outage.skip()) {
            return;
        }
        List<RateStore.Result> results;
        try {
            results = store.check(requests, clock.millis(), settings.expire().toSeconds());
            outage.answered();
        } catch (RuntimeException e) {
            outage.failed(e);
            return;
        }
        List<RateStore.Bucket> reserved = new ArrayList<>();
        for (int i = 0; i < buckets.size(); i++) {
            RateKeys.MessageBucket b = buckets.get(i);
            RateStore.Result r = results.get(i);
            if (!r.limited()) {
                reserved.add(requests.get(i));
                continue;
            }
            limited(ctx, b, r);
        }
        checked.put(ctx, new Checked(buckets, reserved));
    }

    private void limited(ScanContext ctx, RateKeys.MessageBucket b, RateStore.Result r) {
        RateBucketConfig bucket = b.bucket();
        String option = b.limit().name() + "(" + b.hash() + ")";
        String symbol = bucket.symbol() != null ? bucket.symbol()
                : settings.symbol() != null ? settings.symbol() : settings.infoSymbol();
        if (symbol != null) {
            ctx.insert(symbol, 1.0, List.of(option));
        }
        LOG.info("ratelimit \"{}({})\" exceeded, ({} / {}): {} ({}:{} dyn); key: {}; queue id {}", b.limit().name(),
                b.key(), LuaNumbers.format(bucket.burst()), LuaNumbers.format(bucket.rate()),
                LuaNumbers.format(r.burst()), LuaNumbers.format(r.dynRate()), LuaNumbers.format(r.dynBurst()), b.hash(),
                ctx.envelope().queueId() == null ? "-" : ctx.envelope().queueId());
        if (bucket.symbol() == null && settings.symbol() == null && !bucket.skipSoftReject()) {
            ctx.forceAction(Action.SOFT_REJECT, bucket.message() != null ? bucket.message()
                    : "Ratelimit \"" + b.limit().name() + "\" exceeded");
        }
    }

    private boolean whitelisted(ScanContext ctx) {
        String ip = ctx.envelope().clientIp();
        if (ip != null && settings.whitelistedIp().get().contains(ip)) {
            LOG.debug("ratelimit: whitelisted IP {}", ip);
            return true;
        }
        List<String> rcpts = new ArrayList<>(ctx.envelope().rcptTo());
        if (rcpts.isEmpty()) {
            rcpts.addAll(SelectorHolder.MIME_RCPTS.combine(SelectorInput.of(ctx), ""));
        }
        for (String r : rcpts) {
            String addr = r.toLowerCase(Locale.ROOT);
            int at = addr.lastIndexOf('@');
            Set<String> whitelisted = settings.whitelistedRcpts().get();
            if (whitelisted.contains(addr) || (at >= 0 && whitelisted.contains(addr.substring(0, at)))) {
                LOG.debug("ratelimit: whitelisted recipient {}", r);
                return true;
            }
        }
        String user = ctx.envelope().authUser();
        if (user != null && settings.whitelistedUser().get().contains(user.toLowerCase(Locale.ROOT))) {
            LOG.debug("ratelimit: whitelisted user {}", user);
            return true;
        }
        return false;
    }

    private static RateStore.Bucket request(RateKeys.MessageBucket b, int recipients) {
        RateBucketConfig c = b.bucket();
        return new RateStore.Bucket(b.hash(), c.rate() / 1000.0, c.burst(), c.skipRecipients() ? 1 : recipients,
                c.dynamic());
    }

    private Verdict afterScoring(ScanContext ctx, Verdict verdict) {
        Checked c = checked.remove(ctx);
        if (c == null || c.reserved().isEmpty()) {
            return verdict;
        }
        long now = clock.millis();
        try {
            if (verdict.hasPreResult()) {
                // refused by a module (ratelimit itself, greylisting, GTUBE): the message was not accepted
                store.cleanup(c.reserved(), now, settings.expire().toSeconds());
            } else {
                String kind = verdictKind(verdict);
                List<RateStore.Update> updates = new ArrayList<>(c.buckets().size());
                for (RateKeys.MessageBucket b : c.buckets()) {
                    RateBucketConfig bc = b.bucket();
                    double rateMult = 1.0;
                    double burstMult = 1.0;
                    if (kind.equals("spam") || kind.equals("junk")) {
                        rateMult = bc.spamFactorRate();
                        burstMult = bc.spamFactorBurst();
                    } else if (kind.equals("ham")) {
                        rateMult = bc.hamFactorRate();
                        burstMult = bc.hamFactorBurst();
                    }
                    int increment = c.reserved().stream().filter(r -> r.key().equals(b.hash())).findFirst()
                            .map(RateStore.Bucket::increment).orElse(bc.skipRecipients() ? 1
                                    : Math.max(1, ctx.envelope().rcptTo().size()));
                    updates.add(new RateStore.Update(b.hash(), rateMult, burstMult, bc.maxRateMult(),
                            bc.maxBucketMult(), increment, bc.dynamic()));
                }
                store.update(updates, now, settings.expire().toSeconds());
            }
            outage.answered();
        } catch (RuntimeException e) {
            outage.failed(e);
        }
        return verdict;
    }

    /**
     * Rspamd's lua_verdict: {@code spam} (reject with more than one positive symbol), {@code junk} (add header /
     * rewrite subject with more than two), {@code ham} (no action with a negative score or more than three negative
     * symbols), else {@code uncertain}.
     */
    static String verdictKind(Verdict v) {
        long positive = v.symbols().stream().mapToDouble(SymbolResult::score).filter(s -> s > 0).count();
        long negative = v.symbols().stream().mapToDouble(SymbolResult::score).filter(s -> s < 0).count();
        return switch (v.action()) {
            case REJECT -> positive > 1 ? "spam" : "uncertain";
            case NO_ACTION -> v.score() < 0 || negative > 3 ? "ham" : "uncertain";
            case ADD_HEADER, REWRITE_SUBJECT -> positive > 2 ? "junk" : "uncertain";
            default -> "uncertain";
        };
    }

    /** Selectors the module reads besides the rates'. */
    private static final class SelectorHolder {
        static final org.mailsift.scanner.selectors.Selector MIME_RCPTS =
                org.mailsift.scanner.selectors.Selector.parse("rcpts('mime'):addr");
    }
}

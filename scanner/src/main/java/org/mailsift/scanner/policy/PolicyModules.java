package org.mailsift.scanner.policy;

import java.util.ArrayList;
import java.util.List;

import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.ActionsSettings;
import org.mailsift.scanner.maps.MapOptions;
import org.mailsift.scanner.policy.greylist.EmbeddedGreylistStore;
import org.mailsift.scanner.policy.greylist.GreylistSettings;
import org.mailsift.scanner.policy.greylist.GreylistStep;
import org.mailsift.scanner.policy.greylist.GreylistStore;
import org.mailsift.scanner.policy.greylist.RedisGreylistStore;
import org.mailsift.scanner.policy.ratelimit.EmbeddedRateStore;
import org.mailsift.scanner.policy.ratelimit.RateStore;
import org.mailsift.scanner.policy.ratelimit.Ratelimit;
import org.mailsift.scanner.policy.ratelimit.RatelimitSettings;
import org.mailsift.scanner.policy.ratelimit.RedisRateStore;
import org.mailsift.scanner.policy.replies.EmbeddedReplyStore;
import org.mailsift.scanner.policy.replies.Replies;
import org.mailsift.scanner.policy.replies.RepliesSettings;
import org.mailsift.scanner.policy.replies.RedisReplyStore;
import org.mailsift.scanner.policy.replies.ReplyStore;
import org.mailsift.scanner.rules.Rule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy modules with state (greylist.conf, replies.conf, ratelimit.conf), built from the configuration over the daemon's
 * {@link PolicyStores}: the rules they add (REPLY) and their post-scan steps (greylisting, remembering replies), in
 * Rspamd's order. Built again on every reload (each module with its own view of its store's outages: a new engine
 * asks the store at once); the stores stay open.
 */
public final class PolicyModules {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyModules.class);

    /** What the engine gets: rules before scoring, steps after it. */
    public record Policy(List<Rule> rules, PostScanSteps steps) {
        public static final Policy NONE = new Policy(List.of(), PostScanSteps.NONE);
    }

    private PolicyModules() {
    }

    /** Reads and checks every policy file (configtest): errors throw with file and line, unknown options warn. */
    public static void check(ConfigSource config) {
        GreylistSettings.from(config);
        RepliesSettings.from(config);
        RatelimitSettings.from(config);
    }

    public static Policy build(ConfigSource config, PolicyStores stores) {
        List<Rule> rules = new ArrayList<>();
        List<PostScanStep> steps = new ArrayList<>();
        RepliesSettings replies = RepliesSettings.from(config);
        if (replies.enabled()) {
            ReplyStore store = replies.redis()
                    .<ReplyStore>map(t -> new RedisReplyStore(stores.redis(t, "replies")))
                    .orElseGet(() -> new EmbeddedReplyStore(stores::embedded));
            Replies module = new Replies(replies, store, new StoreOutage(LOG, "replies"));
            rules.add(module.rule());
            steps.add(module.recorder());
        }
        GreylistSettings greylist = GreylistSettings.from(config);
        if (greylist.enabled()) {
            GreylistStore store = greylist.redis()
                    .<GreylistStore>map(t -> new RedisGreylistStore(stores.redis(t, "greylisting")))
                    .orElseGet(() -> new EmbeddedGreylistStore(stores::embedded));
            Double threshold = ActionsSettings.from(config).thresholds().get(Action.GREYLIST);
            greylist.watch(MapOptions.from(config).watchInterval()); // closed with the engine (GreylistStep.close)
            steps.add(0, new GreylistStep(greylist, store, threshold, stores.clock(), new StoreOutage(LOG, "greylist")));
        }
        RatelimitSettings ratelimit = RatelimitSettings.from(config);
        if (ratelimit.active()) {
            RateStore store = ratelimit.redis()
                    .<RateStore>map(t -> new RedisRateStore(stores.redis(t, "rate limits")))
                    .orElseGet(() -> new EmbeddedRateStore(stores::embedded));
            ratelimit.watch(MapOptions.from(config).watchInterval()); // closed with the engine (the check rule)
            Ratelimit module = new Ratelimit(ratelimit, store, stores.clock(), new StoreOutage(LOG, "ratelimit"));
            rules.add(module.check());
            steps.add(module.update()); // after greylisting: a greylisted message gives its reservation back
        }
        return new Policy(rules, new PostScanSteps(steps));
    }
}

package org.mailsift.controller.api;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.mailsift.controller.stats.ScanStatistics;
import org.mailsift.core.learn.LearnStatistics;
import org.mailsift.core.learn.Learner;
import org.mailsift.core.metrics.WatchedAccount;
import org.mailsift.core.scan.Action;

/**
 * /stat, /statreset, /auth and /counters in the shapes rspamc reads (rspamc.cxx rspamc_stat_output,
 * rspamc_uptime_output, rspamc_counters_output). Unlike Rspamd, whose statfile counts are a cache refreshed every
 * few seconds, the learn counts come live from {@link Learner#statistics()}.
 */
public final class StatusEndpoints {
    static final ObjectMapper MAPPER = new ObjectMapper();
    /** Rspamd's actions in its enum order, which is the order /stat lists them. */
    private static final Action[] RSPAMD_ORDER = {Action.REJECT, Action.SOFT_REJECT, Action.REWRITE_SUBJECT,
            Action.ADD_HEADER, Action.GREYLIST, Action.NO_ACTION};

    private final ScanStatistics statistics;
    private final Learner learner;
    private final String version;
    private final String configId;

    private final Supplier<List<WatchedAccount>> watchedAccounts;

    public StatusEndpoints(ScanStatistics statistics, Learner learner, String version, String configId,
                           Supplier<List<WatchedAccount>> watchedAccounts) {
        this.watchedAccounts = watchedAccounts;
        this.statistics = statistics;
        this.learner = learner;
        this.version = version;
        this.configId = configId;
    }

    public ApiResponse stat(ApiRequest r) {
        return ApiResponse.json(statJson().toString());
    }

    public ApiResponse statReset(ApiRequest r) {
        String body = statJson().toString();
        statistics.reset();
        return ApiResponse.json(body);
    }

    ObjectNode statJson() {
        ObjectNode top = MAPPER.createObjectNode();
        top.put("version", version);
        top.put("config_id", configId);
        top.put("uptime", statistics.uptimeSeconds());
        top.put("read_only", false);
        top.put("scanned", statistics.scanned());
        ObjectNode actions = top.putObject("actions");
        long spam = 0;
        long ham = 0;
        for (Action a : RSPAMD_ORDER) {
            long n = statistics.actionCount(a);
            actions.put(a.wireName(), n);
            if (a.isSpam()) {
                spam += n;
            } else {
                ham += n;
            }
        }
        ArrayNode times = top.putArray("scan_times");
        for (double t : statistics.scanTimes()) {
            times.add(t);
        }
        top.put("spam_count", spam);
        top.put("ham_count", ham);
        top.put("connections", statistics.connections());
        top.put("control_connections", statistics.controlConnections());
        Runtime rt = Runtime.getRuntime();
        top.put("pools_allocated", 0);
        top.put("pools_freed", 0);
        top.put("bytes_allocated", rt.totalMemory() - rt.freeMemory());
        top.put("chunks_allocated", 0);
        top.put("shared_chunks_allocated", 0);
        top.put("chunks_freed", 0);
        top.put("chunks_oversized", 0);
        top.put("fragmented", 0);
        LearnStatistics ls = learner.statistics();
        top.put("learned", ls.spamLearns() + ls.hamLearns());
        ArrayNode statfiles = top.putArray("statfiles");
        statfiles.add(statfile("BAYES_SPAM", null, ls.storeKind(), ls.spamTokens(), ls.spamLearns(), usersWith(ls, 0)));
        statfiles.add(statfile("BAYES_HAM", null, ls.storeKind(), ls.hamTokens(), ls.hamLearns(), usersWith(ls, 1)));
        // per-user counts as labelled statfiles ("Statfile: BAYES_SPAM <alice@example.org> ... learned: 3"), so
        // `rspamc stat` shows them while scripts grepping "BAYES_SPAM type:" still see the global line only
        ls.perUser().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            statfiles.add(statfile("BAYES_SPAM", e.getKey(), ls.storeKind(), -1, e.getValue()[0], 1));
            statfiles.add(statfile("BAYES_HAM", e.getKey(), ls.storeKind(), -1, e.getValue()[1], 1));
        });
        top.put("total_learns", ls.spamLearns() + ls.hamLearns());
        if (ls.queued() > 0) {
            top.put("learns_queued", ls.queued());
        }
        List<WatchedAccount> watched = watchedAccounts.get();
        if (!watched.isEmpty()) {
            top.set("imap_watcher", watcherJson(watched)); // an extension: rspamc ignores keys it does not know
        }
        return top;
    }

    /** {"accounts": [{account, state, learned_spam, learned_ham, errors, last_event, last_event_at, ...}]} */
    private static ObjectNode watcherJson(List<WatchedAccount> watched) {
        ObjectNode w = MAPPER.createObjectNode();
        ArrayNode accounts = w.putArray("accounts");
        for (WatchedAccount a : watched) {
            ObjectNode o = accounts.addObject();
            o.put("account", a.account());
            o.put("state", a.state());
            o.put("learned_spam", a.learnedSpam());
            o.put("learned_ham", a.learnedHam());
            o.put("errors", a.errors());
            o.put("filed_by_filter", a.filedByFilter());
            o.put("last_event", a.lastEvent());
            o.put("last_event_at", a.lastEventAt() == null ? null : a.lastEventAt().toString());
            o.put("last_error", a.lastError());
            o.put("last_error_at", a.lastErrorAt() == null ? null : a.lastErrorAt().toString());
        }
        return w;
    }

    private static ObjectNode statfile(String symbol, String label, String type, long tokens, long learned, long users) {
        ObjectNode s = MAPPER.createObjectNode();
        s.put("symbol", symbol);
        if (label != null) {
            s.put("label", label);
        }
        s.put("type", type);
        s.put("size", 0);
        long t = Math.max(0, tokens);
        s.put("total", t);
        s.put("used", t);
        s.put("revision", learned);
        s.put("users", users);
        s.put("languages", 0);
        return s;
    }

    private static long usersWith(LearnStatistics ls, int index) {
        return ls.perUser().values().stream().filter(c -> c[index] > 0).count();
    }

    /** rspamc uptime reads version and uptime; the WebUI reads the action counts. */
    public ApiResponse auth(ApiRequest r) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("version", version);
        o.put("auth", "ok");
        o.put("uptime", statistics.uptimeSeconds());
        o.put("clean", statistics.actionCount(Action.NO_ACTION));
        o.put("probable", statistics.actionCount(Action.ADD_HEADER) + statistics.actionCount(Action.REWRITE_SUBJECT));
        o.put("greylist", statistics.actionCount(Action.GREYLIST));
        o.put("reject", statistics.actionCount(Action.REJECT));
        o.put("soft_reject", statistics.actionCount(Action.SOFT_REJECT));
        o.put("scanned", statistics.scanned());
        o.put("learned", statistics.learned());
        o.put("read_only", false);
        o.put("config_id", configId);
        return ApiResponse.json(o.toString());
    }

    /** Per-symbol hit counts since start: [{symbol, weight, frequency, frequency_stddev, hits, time}]. */
    public ApiResponse counters(ApiRequest r) {
        ArrayNode a = MAPPER.createArrayNode();
        long now = System.currentTimeMillis();
        statistics.symbolCounters().stream()
                .sorted(Comparator.comparing(ScanStatistics.SymbolCounter::name))
                .forEach(c -> {
                    ObjectNode o = a.addObject();
                    o.put("symbol", c.name());
                    o.put("weight", c.weight());
                    o.put("frequency", c.frequency(now, statistics.startMillis()));
                    o.put("frequency_stddev", 0.0);
                    o.put("hits", c.hits());
                    o.put("time", 0.0);
                });
        return ApiResponse.json(a.toString());
    }

    /** The controller's /symbols: the symbols seen so far, as one group (the scanner's rule list is not exposed). */
    public ApiResponse symbols(ApiRequest r) {
        ArrayNode groups = MAPPER.createArrayNode();
        ObjectNode g = groups.addObject();
        g.put("group", "mailsift");
        ArrayNode rules = g.putArray("rules");
        long now = System.currentTimeMillis();
        statistics.symbolCounters().stream()
                .sorted(Comparator.comparing(ScanStatistics.SymbolCounter::name))
                .forEach(c -> rules.addObject()
                        .put("symbol", c.name())
                        .put("weight", c.weight())
                        .put("frequency", c.frequency(now, statistics.startMillis()))
                        .put("hits", c.hits())
                        .put("time", 0.0));
        return ApiResponse.json(groups.toString());
    }
}

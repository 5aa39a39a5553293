package org.mailsift.scanner.bayes;

import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.config.UclObject;
import org.mailsift.core.learn.BayesStore;
import org.mailsift.core.learn.Learner;
import org.mailsift.core.message.MessageParser;
import org.mailsift.core.message.ParsedMessage;
import org.mailsift.core.metrics.Metrics;
import org.mailsift.core.scan.ScanListener;
import org.mailsift.scanner.rules.Rule;
import org.mailsift.scanner.store.embedded.EmbeddedBayesStore;
import org.mailsift.scanner.store.redis.RedisBayesStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything Bayes, built from the configuration: the store (embedded under {@code <dataDir>/bayes}, or Redis), the
 * {@link Learner}, the scan {@link Rule} and the autolearn {@link ScanListener}.
 *
 * <p>For the engine wiring (agent EngineWiring):
 * <pre>
 * BayesModule bayes = BayesModule.open(config, dataDir, metrics);
 * rules.add(bayes.rule());                       // BAYES_SPAM / BAYES_HAM
 * learner = bayes.learner();                     // for CLI, controller, IMAP watcher
 * bayes.autolearn().ifPresent(context::addScanListener);
 * ...
 * bayes.close();                                 // on shutdown: stops the replay thread, closes the store
 * </pre>
 */
public final class BayesModule implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BayesModule.class);

    private final BayesStore store;
    private final BayesEngine engine;
    private final BayesLearner learner;
    private final BayesRule rule;
    private final BayesAutolearn autolearn;
    private final LearnOutbox queue;
    private final ScheduledExecutorService replayer;

    private BayesModule(BayesStore store, BayesSettings settings, OutboundHam outbound, Path dataDir, Metrics metrics,
                        Function<byte[], ParsedMessage> parser) {
        this(store, settings, outbound, dataDir, metrics, parser, true);
    }

    /** @param writable false for a read-only view of the store: no learn queue, no autolearn */
    private BayesModule(BayesStore store, BayesSettings settings, OutboundHam outbound, Path dataDir, Metrics metrics,
                        Function<byte[], ParsedMessage> parser, boolean writable) {
        this.store = store;
        this.engine = new BayesEngine(new Tokenizer(TokenizerSettings.defaults()),
                new BayesClassifier(ClassifierSettings.defaults()), store, settings);
        this.queue = !writable || store.kind().equals("embedded") ? null : new LearnOutbox(dataDir.resolve("bayes-queue"));
        this.learner = new BayesLearner(engine, parser, queue, metrics);
        this.rule = new BayesRule(engine, metrics);
        this.autolearn = !writable || settings.autolearn() == null && !outbound.enabled() ? null
                : new BayesAutolearn(learner, settings.autolearn(), outbound, metrics);
        if (queue != null) {
            replayer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "bayes-queue-replay");
                t.setDaemon(true);
                return t;
            });
            replayer.scheduleWithFixedDelay(() -> queue.replay(store), 1, 2, TimeUnit.SECONDS);
        } else {
            replayer = null;
        }
    }

    /** Opens Bayes as configured by classifier-bayes.conf (and redis.conf), parsing messages with MessageParser. */
    public static BayesModule open(ConfigSource config, Path dataDir, Metrics metrics) {
        return open(config, dataDir, metrics, MessageParser::parse);
    }

    public static BayesModule open(ConfigSource config, Path dataDir, Metrics metrics, Function<byte[], ParsedMessage> parser) {
        BayesSettings settings = settings(config);
        OutboundHam outbound = OutboundHam.from(config.section("classifier-bayes"));
        BayesStore store = openStore(settings, dataDir);
        log.info("Bayes: {} store, min_learns {}, per_user {}, autolearn {}, outbound ham {}", store.kind(), settings.minLearns(),
                settings.perUser(), settings.autolearn() == null ? "off" : settings.autolearn(), outbound.enabled() ? outbound : "off");
        return new BayesModule(store, settings, outbound, dataDir, metrics, parser);
    }

    /**
     * For scans outside the daemon (deliver, filter, scan): like {@link #open}, but when the daemon holds the embedded
     * store, a read-only view of it (so those scans still use Bayes), without autolearn and without a learn queue.
     */
    public static BayesModule openForScanning(ConfigSource config, Path dataDir, Metrics metrics) {
        try {
            return open(config, dataDir, metrics);
        } catch (EmbeddedBayesStore.InUseException inUse) {
            BayesStore store = EmbeddedBayesStore.openReadOnly(dataDir.resolve("bayes"));
            log.info("Bayes: the embedded store is held by the daemon; scanning with a read-only view of it");
            return new BayesModule(store, settings(config), OutboundHam.from(config.section("classifier-bayes")), dataDir,
                    metrics, MessageParser::parse, false);
        }
    }

    /** Reads classifier-bayes.conf (reporting unknown options as config warnings). */
    public static BayesSettings settings(ConfigSource config) {
        UclObject actions = config.section("actions");
        double reject = actions.getDouble("reject", 15.0);
        return BayesSettings.from(config.section("classifier-bayes"), config.section("redis"), reject, config::warn);
    }

    /** The configured store alone (for `mailsift stat`, export/import): the caller closes it. */
    public static BayesStore openStore(BayesSettings settings, Path dataDir) {
        if (settings.backend().equals("redis")) {
            return RedisBayesStore.connect(settings.servers(), settings.password(), settings.db(), settings.timeoutMillis(),
                    settings.expireSeconds());
        }
        return EmbeddedBayesStore.open(dataDir.resolve("bayes"));
    }

    public Learner learner() {
        return learner;
    }

    public Rule rule() {
        return rule;
    }

    /** The autolearn listener, when classifier-bayes enables autolearn. */
    public java.util.Optional<ScanListener> autolearn() {
        return java.util.Optional.ofNullable(autolearn);
    }

    public BayesEngine engine() {
        return engine;
    }

    public BayesStore store() {
        return store;
    }

    @Override
    public void close() {
        if (autolearn != null) {
            autolearn.close();
        }
        if (replayer != null) {
            replayer.shutdownNow();
        }
        store.close();
    }
}

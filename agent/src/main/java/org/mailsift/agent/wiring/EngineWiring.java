package org.mailsift.agent.wiring;

import java.util.List;

import org.mailsift.agent.AgentContext;
import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.learn.LearnOutcome;
import org.mailsift.core.learn.LearnRequest;
import org.mailsift.core.learn.LearnStatistics;
import org.mailsift.core.learn.Learner;
import org.mailsift.core.scan.MessageScanner;
import org.mailsift.scanner.EngineFactory;
import org.mailsift.scanner.bayes.BayesModule;
import org.mailsift.scanner.rules.Rule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the scan engine and the Bayes learner from the configuration (scanner module) for the agent: the standard
 * rules plus the Bayes rule, the Bayes learner, and Bayes autolearn as a scan listener. When the Bayes store cannot
 * be opened the engine still scans (without BAYES_* symbols) and learning fails with a clear message.
 */
public final class EngineWiring implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EngineWiring.class);
    private volatile MessageScanner scanner;
    private final List<Rule> extraRules;
    private final Learner learner;
    private final AutoCloseable resources;

    private final AgentContext context;

    private EngineWiring(AgentContext context, MessageScanner scanner, List<Rule> extraRules, Learner learner,
                         AutoCloseable resources) {
        this.context = context;
        this.scanner = scanner;
        this.extraRules = extraRules;
        this.learner = learner;
        this.resources = resources;
    }

    public static EngineWiring open(AgentContext context) {
        BayesModule bayes;
        try {
            bayes = context.scansOnly() ? BayesModule.openForScanning(context.config(), context.dataDir(), context.metrics())
                    : BayesModule.open(context.config(), context.dataDir(), context.metrics());
        } catch (RuntimeException e) {
            LOG.warn("Bayes is not available, scanning without it: {}", e.getMessage());
            MessageScanner engine = EngineFactory.create(context.config(), List.of(), context.dnsResolver());
            return new EngineWiring(context, engine, List.of(), new UnavailableLearner(e.getMessage()), () -> { });
        }
        try {
            List<Rule> bayesRules = List.of(bayes.rule());
            MessageScanner engine = EngineFactory.create(context.config(), bayesRules, context.dnsResolver());
            bayes.autolearn().ifPresent(context::addScanListener);
            return new EngineWiring(context, engine, bayesRules, bayes.learner(), bayes);
        } catch (RuntimeException e) {
            bayes.close();
            throw e;
        }
    }

    public MessageScanner scanner() {
        return scanner;
    }

    /**
     * SIGHUP: a new engine (rules, actions, scores, groups) from {@code config}, sharing the open Bayes rule and store
     * (Bayes settings themselves need a restart). Throws on a bad configuration, leaving the running engine in place.
     */
    public void reload(ConfigSource config) {
        MessageScanner old = scanner;
        scanner = EngineFactory.create(config, extraRules, context.dnsResolver(config));
        closeEngine(old); // stops the old engine's map watching; scans still running on it finish
    }

    private static void closeEngine(MessageScanner engine) {
        if (engine instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("the replaced scan engine did not close cleanly: {}", e.toString());
            }
        }
    }

    public Learner learner() {
        return learner;
    }

    @Override
    public void close() throws Exception {
        closeEngine(scanner);
        resources.close();
    }

    /** The learner when the Bayes store could not be opened. */
    private record UnavailableLearner(String reason) implements Learner {
        @Override
        public LearnOutcome learn(byte[] rawMessage, LearnRequest request) {
            throw new IllegalStateException("Bayes not available: " + reason);
        }

        @Override
        public LearnStatistics statistics() {
            throw new IllegalStateException("Bayes not available: " + reason);
        }
    }
}

package org.mailsift.agent.wiring;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.mailsift.agent.AgentContext;
import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.dns.DnsResolver;
import org.mailsift.core.learn.LearnOutcome;
import org.mailsift.core.learn.LearnRequest;
import org.mailsift.core.learn.LearnStatistics;
import org.mailsift.core.learn.Learner;
import org.mailsift.core.scan.MessageScanner;
import org.mailsift.scanner.EngineFactory;
import org.mailsift.scanner.bayes.BayesModule;
import org.mailsift.scanner.policy.PolicyModules;
import org.mailsift.scanner.policy.PolicyStores;
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
    private final PolicyStores policyStores;

    private EngineWiring(AgentContext context, List<Rule> extraRules, Learner learner, AutoCloseable resources,
                         PolicyStores policyStores) {
        this.context = context;
        this.extraRules = extraRules;
        this.learner = learner;
        this.resources = resources;
        this.policyStores = policyStores;
        this.scanner = engine(context.config(), context.dnsResolver());
    }

    /**
     * The engine for {@code config}: the standard rules, {@code extraRules} (Bayes), and the policy modules
     * (greylist.conf, replies.conf) over the stores that stay open across reloads. Commands that only scan (scan,
     * filter, deliver) get no policy modules: they neither greylist nor record, as Rspamd exempts rspamc.
     */
    private MessageScanner engine(ConfigSource config, DnsResolver resolver) {
        PolicyModules.Policy policy = policyStores == null ? PolicyModules.Policy.NONE : PolicyModules.build(config, policyStores);
        List<Rule> rules = new ArrayList<>(extraRules);
        rules.addAll(policy.rules());
        return EngineFactory.create(config, rules, List.of(), policy.steps(), resolver);
    }

    public static EngineWiring open(AgentContext context) {
        PolicyStores policy = context.scansOnly() ? null : new PolicyStores(context.dataDir(), Clock.systemUTC());
        BayesModule bayes;
        try {
            bayes = context.scansOnly() ? BayesModule.openForScanning(context.config(), context.dataDir(), context.metrics())
                    : BayesModule.open(context.config(), context.dataDir(), context.metrics());
        } catch (RuntimeException e) {
            LOG.warn("Bayes is not available, scanning without it: {}", e.getMessage());
            return new EngineWiring(context, List.of(), new UnavailableLearner(e.getMessage()), () -> close(policy), policy);
        }
        try {
            EngineWiring wiring = new EngineWiring(context, List.of(bayes.rule()), bayes.learner(), () -> {
                bayes.close();
                close(policy);
            }, policy);
            bayes.autolearn().ifPresent(context::addScanListener);
            return wiring;
        } catch (RuntimeException e) {
            bayes.close();
            close(policy);
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
        scanner = engine(config, context.dnsResolver(config));
        closeEngine(old); // stops the old engine's map watching; scans still running on it finish
    }

    private static void close(PolicyStores policy) {
        if (policy != null) {
            policy.close();
        }
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

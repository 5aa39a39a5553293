package org.mailsift.agent;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.mailsift.agent.logging.LogLevels;
import org.mailsift.agent.logging.LoggingLearner;
import org.mailsift.agent.logging.ScanLogListener;
import org.mailsift.agent.wiring.EngineWiring;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.dns.DnsResolver;
import org.mailsift.core.dns.DnsSettings;
import org.mailsift.dns.NettyDnsResolver;
import org.mailsift.core.learn.Learner;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.metrics.Metrics;
import org.mailsift.core.metrics.WatchedAccount;
import org.mailsift.core.scan.MessageScanner;
import org.mailsift.core.scan.ScanListener;
import org.mailsift.core.scan.ScanResult;

/**
 * What every command and service shares: the configuration, the data directory, metrics, and the engine
 * (scanner and learner), built once on first use. Closing it closes the engine and its stores.
 */
public final class AgentContext implements AutoCloseable {
    private volatile ConfigSource config;
    private final Path dataDir;
    private final Metrics metrics = new Metrics();
    private final List<ScanListener> scanListeners = new CopyOnWriteArrayList<>();
    private volatile EngineWiring engine;
    private volatile LogLevels messageLogs;
    private volatile Supplier<List<WatchedAccount>> watchedAccounts = List::of;
    private volatile BooleanSupplier reloader;
    private volatile boolean scansOnly;
    private DnsResolver dnsResolver;
    private DnsSettings dnsSettings;
    private volatile ConfigApplier configApplier = this::reloadFromDirectory;

    /** Re-reads the configuration directory and applies it, or throws with the reason it does not load. */
    @FunctionalInterface
    public interface ConfigApplier {
        void apply() throws Exception;
    }

    public AgentContext(ConfigSource config, Path dataDir) {
        this.config = config;
        this.dataDir = dataDir;
    }

    public ConfigSource config() {
        return config;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Metrics metrics() {
        return metrics;
    }

    /** The IMAP watcher's accounts as they are now (for /stat); empty when no watcher runs in this process. */
    public List<WatchedAccount> watchedAccounts() {
        return watchedAccounts.get();
    }

    /** Set by the IMAP watcher service when it starts. */
    public void watchedAccounts(Supplier<List<WatchedAccount>> source) {
        this.watchedAccounts = source;
    }

    /**
     * The daemon's one DNS resolver ({@code options.inc dns { }}), opened on first use and shared by every check;
     * after a reload that changed the dns section, a new one (the old one closes once its lookups are over).
     */
    public DnsResolver dnsResolver() {
        return dnsResolver(config);
    }

    /** The resolver for {@code settingsFrom}'s dns section (a reload asks with the new configuration). */
    public synchronized DnsResolver dnsResolver(ConfigSource settingsFrom) {
        DnsSettings wanted = DnsSettings.from(settingsFrom);
        if (dnsResolver == null || !wanted.equals(dnsSettings)) {
            DnsResolver old = dnsResolver;
            dnsResolver = wanted.enabled() ? new NettyDnsResolver(wanted, null) : DnsResolver.none();
            dnsSettings = wanted;
            if (old != null) {
                Thread.ofVirtual().start(() -> {
                    try {
                        Thread.sleep(wanted.budget().toMillis() + 5_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    old.close();
                });
            }
        }
        return dnsResolver;
    }

    private EngineWiring engine() {
        EngineWiring e = engine;
        return e != null ? e : openEngine();
    }

    private synchronized EngineWiring openEngine() {
        if (engine == null) {
            engine = EngineWiring.open(this);
        }
        return engine;
    }

    /** SIGHUP: rebuilds the scan engine's rules, actions and scores from {@code fresh}; the Bayes store stays open. */
    public synchronized void reloadEngine(ConfigSource fresh) {
        if (engine != null) {
            engine.reload(fresh);
        }
    }

    /**
     * For commands that only scan (deliver, filter, scan): when the daemon holds the embedded Bayes store, read it
     * read-only instead of scanning without Bayes. Call before the first scan.
     */
    public void scansOnly(boolean only) {
        this.scansOnly = only;
    }

    public boolean scansOnly() {
        return scansOnly;
    }

    /** Set by {@code mailsift run}: how the daemon re-reads its configuration (SIGHUP and the controller's /reload). */
    public void reloader(BooleanSupplier reload) {
        this.reloader = reload;
    }

    /** Re-reads the configuration as SIGHUP does; false when it did not load (or this process is no daemon). */
    public boolean reload() {
        BooleanSupplier r = reloader;
        return r != null && r.getAsBoolean();
    }

    /** `mailsift run` applies changed configuration files as SIGHUP does (every reloadable service, not just the engine). */
    public void configApplier(ConfigApplier applier) {
        this.configApplier = applier;
    }

    /** Applies the configuration files as they are now (the web interface calls this after writing local.d/). */
    public void applyConfiguration() throws Exception {
        configApplier.apply();
    }

    private void reloadFromDirectory() {
        ConfigDirectory fresh = config instanceof ConfigDirectory dir ? dir.reopened() : ConfigDirectory.open(config.directory());
        reloadEngine(fresh);
        replaceConfig(fresh);
    }

    /** SIGHUP: the configuration services read from now on (after {@link #reloadEngine} accepted it). */
    public void replaceConfig(ConfigSource fresh) {
        this.config = fresh;
    }

    /**
     * Daemon mode: one log line per scan (a {@link ScanLogListener}) and per learn (a {@link LoggingLearner} around
     * {@link #learner()}), at the levels of the {@code logging} section. Call before services start.
     */
    public void logMessages(LogLevels levels) {
        this.messageLogs = levels;
        addScanListener(new ScanLogListener(levels.scan()));
    }

    /** The bare scan engine (no listeners told); see {@link #scanner(ScanListener.ScanSource)}. */
    public MessageScanner scanner() {
        return engine().scanner();
    }

    /** Reports a finished scan to every listener (history, metrics, autolearn, logs). */
    public void scanned(ScanListener.ScanSource source, Envelope envelope, byte[] raw, ScanResult result) {
        for (ScanListener l : scanListeners) {
            l.scanned(source, envelope, raw, result);
        }
    }

    /** A scanner that reports each scan as coming from {@code source}. */
    public MessageScanner scanner(ScanListener.ScanSource source) {
        // the engine's scanner is looked up per message, so a reload (SIGHUP) reaches running services
        return (raw, envelope) -> {
            ScanResult r = engine().scanner().scan(raw, envelope);
            scanned(source, envelope, raw, r);
            return r;
        };
    }

    public Learner learner() {
        LogLevels logs = messageLogs;
        return logs == null ? engine().learner() : new LoggingLearner(engine().learner(), logs.learn());
    }

    public void addScanListener(ScanListener listener) {
        scanListeners.add(listener);
    }

    @Override
    public synchronized void close() throws Exception {
        if (engine != null) {
            engine.close();
            engine = null;
        }
        if (dnsResolver != null) {
            dnsResolver.close();
            dnsResolver = null;
        }
    }
}

package org.mailsift.agent.daemon;

import java.io.IOException;
import java.time.Clock;

import org.mailsift.agent.AgentContext;
import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.message.VerdictSeal;
import org.mailsift.core.scan.MessageScanner;
import org.mailsift.core.scan.ScanListener;
import org.mailsift.milter.MilterSettings;
import org.mailsift.milter.server.MilterServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The milter listener of `mailsift run`, configured by worker-proxy (Rspamd's proxy worker in milter mode). */
public final class MilterService implements DaemonService, Reloadable {
    private static final Logger LOG = LoggerFactory.getLogger(MilterService.class);
    private MilterServer server;
    private volatile MilterSettings settings;

    @Override
    public String name() {
        return "milter";
    }

    @Override
    public boolean enabled(AgentContext context) {
        return settings(context).enabled();
    }

    @Override
    public void start(AgentContext context) throws Exception {
        server = new MilterServer(settings(context), scanner(context), context.metrics());
        server.start();
    }

    /** The milter's scanner, sealing verdicts for {@code mailsift deliver} (see {@link SealingScanner}). */
    MessageScanner scanner(AgentContext context) {
        MessageScanner scanner = context.scanner(ScanListener.ScanSource.MILTER);
        try {
            VerdictSeal seal = VerdictSeal.open(context.dataDir());
            return new SealingScanner(scanner, seal, Clock.systemUTC());
        } catch (IOException e) {
            // still a working milter; deliver on this host will scan every message itself
            LOG.warn("verdict seals disabled, cannot read or create {}: {}", VerdictSeal.keyFile(context.dataDir()), e.toString());
            return scanner;
        }
    }

    /** SIGHUP: the milter's own settings (reply texts, max_size...) for new connections. */
    @Override
    public void reload(ConfigSource config) {
        MilterSettings fresh = MilterSettings.from(config.section(MilterSettings.SECTION), config::warn);
        if (server != null) {
            server.reload(fresh);
        }
        settings = fresh;
    }

    /** The running server (for tests and the startup log), or null when not started. */
    public MilterServer server() {
        return server;
    }

    /** Read once, so unknown options are warned about once. */
    private MilterSettings settings(AgentContext context) {
        if (settings == null) {
            settings = MilterSettings.from(context.config().section(MilterSettings.SECTION), context.config()::warn);
        }
        return settings;
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}

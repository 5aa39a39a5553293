package org.mailsift.agent.daemon;

import org.mailsift.agent.AgentContext;
import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.scan.ScanListener;
import org.mailsift.milter.MilterSettings;
import org.mailsift.milter.server.MilterServer;

/** The milter listener of `mailsift run`, configured by worker-proxy (Rspamd's proxy worker in milter mode). */
public final class MilterService implements DaemonService, Reloadable {
    private MilterServer server;
    private MilterSettings settings;

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
        server = new MilterServer(settings(context), context.scanner(ScanListener.ScanSource.MILTER), context.metrics());
        server.start();
    }

    /** SIGHUP: the milter's own settings (reply texts, spam header, max_size...) for new connections. */
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

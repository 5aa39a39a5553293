package org.mailsift.agent.daemon;

import org.mailsift.agent.AgentContext;
import org.mailsift.controller.ControllerServer;
import org.mailsift.controller.ControllerSettings;
import org.mailsift.controller.webui.WebUi;
import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.scan.ScanListener;

/**
 * The Rspamd-compatible HTTP workers (normal on 11333, controller on 11334). Its history and statistics listen to
 * every scan in the process, so milter and CLI scans appear in /history and /stat too.
 */
public final class ControllerService implements DaemonService, Reloadable {
    private ControllerServer server;

    @Override
    public String name() {
        return "controller";
    }

    @Override
    public boolean enabled(AgentContext context) {
        ControllerSettings s = ControllerSettings.fromConfig(context.config());
        return s.normal().enabled() || s.controller().enabled();
    }

    @Override
    public void start(AgentContext context) throws Exception {
        ControllerSettings settings = ControllerSettings.fromConfig(context.config());
        WebUi.Hooks webUi = new WebUi.Hooks(context.dataDir(), context.config().savedSettingsDirectory(), new DaemonConfigAccess(context));
        ControllerServer s = new ControllerServer(settings, context.scanner(ScanListener.ScanSource.HTTP),
                context.learner(), context.metrics(), context::watchedAccounts, webUi);
        s.scanListeners().forEach(context::addScanListener);
        s.onReload(context::reload);
        server = s.start();
    }

    /** SIGHUP: new controller passwords and secure_ip apply without closing the workers. */
    @Override
    public void reload(ConfigSource config) {
        if (server != null) {
            server.reloadAccess(ControllerSettings.fromConfig(config).controller());
        }
    }

    /** Where the workers listen (for tests and the startup log). */
    public ControllerServer server() {
        return server;
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}

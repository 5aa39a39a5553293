package org.mailsift.agent.daemon;

import java.util.List;
import java.util.Map;

import org.mailsift.agent.AgentContext;
import org.mailsift.controller.webui.ConfigAccess;
import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.ActionsSettings;
import org.mailsift.scanner.ScanEngine;

/** The web interface's view of the running daemon: its configuration, the scan engine's symbols and thresholds. */
final class DaemonConfigAccess implements ConfigAccess {
    private final AgentContext context;

    DaemonConfigAccess(AgentContext context) {
        this.context = context;
    }

    @Override
    public ConfigSource configuration() {
        return context.config();
    }

    @Override
    public List<SymbolInfo> symbols() {
        if (!(context.scanner() instanceof ScanEngine engine)) {
            return List.of();
        }
        return engine.symbols().all().values().stream()
                .map(d -> new SymbolInfo(d.name(), d.group(), d.weight(), d.description()))
                .toList();
    }

    @Override
    public Map<Action, Double> thresholds() {
        if (context.scanner() instanceof ScanEngine engine) {
            return engine.settings().actions().thresholds();
        }
        return ActionsSettings.from(context.config()).thresholds();
    }

    @Override
    public void apply() throws Exception {
        context.applyConfiguration();
    }
}

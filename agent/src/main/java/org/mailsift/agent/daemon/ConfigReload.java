package org.mailsift.agent.daemon;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.mailsift.agent.AgentContext;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.core.config.ConfigSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the configuration directory and hands it to everything running that is {@link Reloadable}: first the scan
 * engine (actions, scores, groups, rules), then the services. Sockets and connections stay open; a scan already
 * running finishes with the settings it started with. When the new configuration does not load, the running one is
 * kept and one log line says why.
 */
public final class ConfigReload {
    private static final Logger log = LoggerFactory.getLogger(ConfigReload.class);

    private final AgentContext context;
    private final Supplier<List<DaemonService>> running;
    private final Supplier<ConfigDirectory> reader;

    /**
     * @param running what is running now (services started by {@link ServiceGroup})
     * @param reader  opens the configuration directory afresh (nothing cached from the last read)
     */
    public ConfigReload(AgentContext context, Supplier<List<DaemonService>> running, Supplier<ConfigDirectory> reader) {
        this.context = context;
        this.running = running;
        this.reader = reader;
    }

    /** Returns true when the new configuration is in use; serialised, so two quick SIGHUPs apply one after another. */
    public synchronized boolean reload() {
        try {
            apply();
            return true;
        } catch (Exception e) {
            log.error("reload failed, keeping the running configuration: {}", message(e));
            return false;
        }
    }

    /**
     * Reloads, or throws with the reason (file and line) when the new configuration does not load, keeping the
     * running one (the web interface shows that reason and puts back the file it wrote).
     */
    public synchronized void apply() throws Exception {
        ConfigSource fresh = parsedFully(reader.get());
        context.reloadEngine(fresh);
        List<String> applied = new ArrayList<>();
        applied.add("scan engine");
        context.replaceConfig(fresh);
        for (DaemonService service : running.get()) {
            if (service instanceof Reloadable r) {
                try {
                    r.reload(fresh);
                    applied.add(service.name());
                } catch (Exception e) {
                    log.error("{}: reload failed, it keeps its running settings: {}", service.name(), message(e));
                }
            }
        }
        fresh.warnings().forEach(w -> log.warn("{}", w));
        log.info("configuration reloaded from {} ({})", fresh.directory(), String.join(", ", applied));
    }

    /** Every file and section parsed now (as configtest does), so a syntax error anywhere refuses the whole reload. */
    private static ConfigDirectory parsedFully(ConfigDirectory config) {
        config.configFiles().forEach(config::parse);
        config.sectionNames().forEach(config::section);
        return config;
    }

    private static String message(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.replace('\n', ' ');
    }
}

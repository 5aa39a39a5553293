package org.mailsift.controller.webui;

import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.mailsift.controller.api.ApiRequest;
import org.mailsift.controller.api.ApiResponse;
import org.mailsift.controller.api.Endpoint;
import org.mailsift.controller.api.Router;
import org.mailsift.controller.security.AccessGuard.Level;
import org.mailsift.controller.stats.ScanStatistics;
import org.mailsift.core.scan.ScanListener;

/**
 * The web interface on the controller worker: the page and its files at {@code /} and {@code /webui/*} (no password
 * needed to load them; every call the page makes sends the Password header, never a cookie), and the JSON endpoints
 * it adds. The throughput graph is saved to the data directory every minute and at close.
 */
public final class WebUi implements AutoCloseable {
    /**
     * What the daemon gives the web interface.
     *
     * @param dataDir         where the throughput graph is kept, or null (memory only)
     * @param savedSettings   where /savesymbols writes groups.conf (the data directory's dynamic/, or local.d), or null
     * @param config          the running configuration, or null (configuration page unavailable)
     */
    public record Hooks(Path dataDir, Path savedSettings, ConfigAccess config) {
        public static final Hooks NONE = new Hooks(null, null, null);
    }

    private final Hooks hooks;
    private final WebAssets assets = new WebAssets();
    private final ThroughputRecorder throughput;
    private final WebUiEndpoints endpoints;
    private final ScheduledExecutorService saver;

    public WebUi(Hooks hooks, ScanStatistics statistics) {
        this.hooks = hooks;
        this.throughput = new ThroughputRecorder(hooks.dataDir(), System.currentTimeMillis() / 1000);
        this.endpoints = new WebUiEndpoints(throughput, statistics, hooks.config(), hooks.savedSettings());
        this.saver = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mailsift-throughput-save");
            t.setDaemon(true);
            return t;
        });
        saver.scheduleWithFixedDelay(throughput::save, 60, 60, TimeUnit.SECONDS);
    }

    /** Counts every scan for the throughput graph. */
    public ScanListener scanListener() {
        return throughput;
    }

    /**
     * Adds the page, its files and the endpoints to the controller's router (after its own routes: /symbols and
     * /actions come from the running scanner when the configuration is available, /saveactions then applies at once).
     */
    public void register(Router controller, Endpoint auth, Endpoint saveActions, Path actionsFile, long maxBodyBytes) {
        for (String path : assets.paths()) {
            controller.add(Level.NONE, assets::serve, path);
        }
        controller.add(Level.READ, withReadOnly(auth, controller, maxBodyBytes), "auth")
                .add(Level.READ, endpoints::graph, "graph")
                .add(Level.READ, endpoints::pie, "pie")
                .add(Level.ENABLE, endpoints.applyingActions(saveActions, actionsFile), "saveactions");
        if (hooks.config() != null) {
            controller.add(Level.READ, endpoints::symbols, "symbols")
                    .add(Level.READ, endpoints::actions, "actions")
                    .add(Level.ENABLE, endpoints::saveSymbols, "savesymbols")
                    .add(Level.READ, endpoints::configDump, "configdump");
        }
    }

    /** /auth with Rspamd's read_only (plus the upload limit): false only when the password given (or a trusted peer) admits privileged commands. */
    private static Endpoint withReadOnly(Endpoint auth, Router controller, long maxBodyBytes) {
        return r -> {
            ApiResponse base = auth.handle(r);
            if (base.status() != 200) {
                return base;
            }
            ObjectNode o = (ObjectNode) WebUiEndpoints.JSON.readTree(base.body());
            o.put("read_only", !controller.guard().admitsEnable(r.peer(), forwarded(r), r.headers().first("Password")));
            o.put("max_body_bytes", maxBodyBytes); // so the page refuses an oversized upload before sending it
            return ApiResponse.json(o.toString());
        };
    }

    private static boolean forwarded(ApiRequest r) {
        return r.headers().has("Forwarded") || r.headers().has("X-Forwarded-For");
    }

    @Override
    public void close() {
        saver.shutdownNow();
        throughput.save();
    }
}

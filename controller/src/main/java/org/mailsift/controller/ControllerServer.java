package org.mailsift.controller;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

import org.mailsift.controller.api.ActionsEndpoints;
import org.mailsift.controller.api.ApiRequest;
import org.mailsift.controller.api.ApiResponse;
import org.mailsift.controller.api.HistoryEndpoints;
import org.mailsift.controller.api.LearnEndpoints;
import org.mailsift.controller.api.Router;
import org.mailsift.controller.api.ScanEndpoints;
import org.mailsift.controller.api.StatusEndpoints;
import org.mailsift.controller.http.HttpWorker;
import org.mailsift.controller.security.AccessGuard;
import org.mailsift.controller.security.AccessGuard.Level;
import org.mailsift.controller.security.FailureThrottle;
import org.mailsift.controller.security.OriginPolicy;
import org.mailsift.controller.stats.RecentErrors;
import org.mailsift.controller.stats.ScanHistory;
import org.mailsift.controller.stats.ScanStatistics;
import org.mailsift.controller.webui.WebUi;
import org.mailsift.core.learn.Learner;
import org.mailsift.core.metrics.Metrics;
import org.mailsift.core.metrics.WatchedAccount;
import org.mailsift.core.scan.MessageScanner;
import org.mailsift.core.scan.ScanListener;

/**
 * The Rspamd-compatible HTTP API: the normal worker (scans, /ping, /metrics) and the controller (scans, learning,
 * statistics, history). The scanner given must report its scans to {@link #scanListeners()} (the agent's
 * {@code context.scanner(HTTP)} does, once the listeners are registered), so milter and CLI scans show up too.
 */
public final class ControllerServer implements AutoCloseable {
    private final ControllerSettings settings;
    private final ScanStatistics statistics;
    private final ScanHistory history;
    private final RecentErrors errors = new RecentErrors(100);
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    // scans are CPU-bound: virtual threads run them on the ForkJoin carriers (one per core) without a hand-sized pool
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpWorker normalWorker;
    private final HttpWorker controllerWorker;
    private final Router controllerRouter;
    private final FailureThrottle controllerThrottle = new FailureThrottle(10, 0.5);
    private volatile BooleanSupplier reloader;
    private final WebUi webUi;

    public ControllerServer(ControllerSettings settings, MessageScanner scanner, Learner learner, Metrics metrics) {
        this(settings, scanner, learner, metrics, List::of);
    }

    /** @param watchedAccounts the IMAP watcher's accounts for /stat (empty when no watcher runs in this process) */
    public ControllerServer(ControllerSettings settings, MessageScanner scanner, Learner learner, Metrics metrics,
                            Supplier<List<WatchedAccount>> watchedAccounts) {
        this(settings, scanner, learner, metrics, watchedAccounts, WebUi.Hooks.NONE);
    }

    /** @param webUi what the web interface needs from the daemon (data and configuration directories, live config) */
    public ControllerServer(ControllerSettings settings, MessageScanner scanner, Learner learner, Metrics metrics,
                            Supplier<List<WatchedAccount>> watchedAccounts, WebUi.Hooks webUi) {
        this.settings = settings;
        this.statistics = new ScanStatistics(metrics);
        this.history = new ScanHistory(settings.controller().historyRows());
        String version = version();
        String configId = Integer.toHexString(settings.hashCode());

        ScanEndpoints normalScans = new ScanEndpoints(scanner, settings.normal().maxBodyBytes());
        AccessGuard open = new AccessGuard(Optional.empty(), Optional.empty(), List.of(), new FailureThrottle(10, 1));
        Router normal = new Router("normal", open, errors).originPolicy(new OriginPolicy(settings.normal().guards().allowedOrigins()))
                .add(Level.NONE, normalScans::checkV2, "checkv2")
                .add(Level.NONE, normalScans::checkV1, "check", "symbols", "scan", "process")
                .add(Level.NONE, r -> ApiResponse.text("pong\r\n"), "ping")
                .add(Level.NONE, r -> new ApiResponse(200, "OK", "text/plain; version=0.0.4; charset=utf-8",
                        metrics.renderPrometheus().getBytes(StandardCharsets.UTF_8)), "metrics");

        WorkerSettings c = settings.controller();
        AccessGuard guard = new AccessGuard(c.password(), c.enablePassword(), c.secureIps(), controllerThrottle,
                c.guards().trustedWrites());
        ScanEndpoints controllerScans = new ScanEndpoints(scanner, c.maxBodyBytes());
        LearnEndpoints learn = new LearnEndpoints(learner, statistics, c.maxBodyBytes());
        StatusEndpoints status = new StatusEndpoints(statistics, learner, version, configId, watchedAccounts);
        HistoryEndpoints hist = new HistoryEndpoints(history, errors);
        ActionsEndpoints actions = new ActionsEndpoints(settings.thresholds(), settings.actionsFile());
        Router controller = new Router("controller", guard, errors).originPolicy(new OriginPolicy(c.guards().allowedOrigins()))
                .add(Level.READ, controllerScans::checkV2, "checkv2")
                .add(Level.READ, controllerScans::checkV1, "check", "scan")
                .add(Level.LEARN, learn::learnSpam, "learnspam")
                .add(Level.LEARN, learn::learnHam, "learnham")
                .add(Level.READ, status::stat, "stat")
                .add(Level.ENABLE, status::statReset, "statreset")
                .add(Level.READ, status::auth, "auth")
                .add(Level.READ, status::counters, "counters")
                .add(Level.READ, status::symbols, "symbols")
                .add(Level.READ, actions::actions, "actions")
                .add(Level.ENABLE, actions::saveActions, "saveactions")
                .add(Level.READ, hist::history, "history")
                .add(Level.ENABLE, hist::historyReset, "historyreset")
                .add(Level.OPERATE, this::reload, "reload")
                .add(Level.READ, hist::errors, "errors")
                .add(Level.NONE, r -> ApiResponse.text("pong\r\n"), "ping")
                .add(Level.READ, r -> new ApiResponse(200, "OK", "text/plain; version=0.0.4; charset=utf-8",
                        metrics.renderPrometheus().getBytes(StandardCharsets.UTF_8)), "metrics");
        this.webUi = new WebUi(webUi, statistics);
        this.webUi.register(controller, status::auth, actions::saveActions, settings.actionsFile(), c.maxBodyBytes());

        this.controllerRouter = controller;
        this.normalWorker = new HttpWorker(settings.normal(), normal, executor, group, () -> statistics.connectionAccepted(false));
        this.controllerWorker = new HttpWorker(c, controller, executor, group, () -> statistics.connectionAccepted(true));
    }

    /**
     * What {@code POST /reload} (and {@code mailsift reload}) runs: re-reads the configuration, returning whether the
     * new one is in use. The daemon sets it; the other path besides SIGHUP, which a process started with SIGHUP
     * ignored (nohup) never receives.
     */
    public ControllerServer onReload(BooleanSupplier reloader) {
        this.reloader = reloader;
        return this;
    }

    private ApiResponse reload(ApiRequest request) {
        if (!"POST".equals(request.method())) {
            return ApiResponse.error(405, "Use POST for /reload");
        }
        BooleanSupplier r = reloader;
        if (r == null) {
            return ApiResponse.error(501, "This process cannot reload its configuration");
        }
        return r.getAsBoolean() ? ApiResponse.success()
                : ApiResponse.error(500, "Reload failed, the running configuration stays; the daemon's log says why");
    }

    /** Binds both workers (a worker with no bind_socket stays off). */
    public ControllerServer start() throws IOException, InterruptedException {
        try {
            normalWorker.start();
            controllerWorker.start();
        } catch (IOException | InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    /**
     * SIGHUP: the controller's password, enable_password and secure_ip from {@code controller}, for the next request
     * (open connections stay; the failure throttle keeps its state). Listening addresses need a restart.
     */
    public void reloadAccess(WorkerSettings controller) {
        controllerRouter.replaceGuard(new AccessGuard(controller.password(), controller.enablePassword(),
                controller.secureIps(), controllerThrottle, controller.guards().trustedWrites()));
        controllerRouter.originPolicy(new OriginPolicy(controller.guards().allowedOrigins()));
    }

    /** Register these with every scan path (agent: {@code context.addScanListener}). */
    public List<ScanListener> scanListeners() {
        return List.of(statistics, history, webUi.scanListener());
    }

    public List<SocketAddress> normalAddresses() {
        return normalWorker.boundAddresses();
    }

    public List<SocketAddress> controllerAddresses() {
        return controllerWorker.boundAddresses();
    }

    public ControllerSettings settings() {
        return settings;
    }

    /** Request bytes the controller worker holds now (bodies being read or scanned), against its max_inflight. */
    public long controllerInflightBytes() {
        return controllerWorker.inflightBytes();
    }

    static String version() {
        String v = ControllerServer.class.getPackage().getImplementationVersion();
        return "mailsift " + (v == null ? "dev" : v);
    }

    @Override
    public void close() {
        normalWorker.close();
        controllerWorker.close();
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        webUi.close();
    }
}

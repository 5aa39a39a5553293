package org.mailsift.agent.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.mailsift.agent.AgentContext;
import org.mailsift.agent.daemon.ConfigReload;
import org.mailsift.agent.daemon.ReloadSignal;
import org.mailsift.agent.logging.LogLevels;
import org.mailsift.agent.daemon.ServiceGroup;
import org.mailsift.agent.daemon.Services;
import org.mailsift.agent.daemon.TerminationSignals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code mailsift run}: starts every enabled service and runs until SIGTERM/SIGINT, then stops them in order. */
public final class RunCommand implements CliCommand {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);
    /** How long stopping may take before the process exits anyway (systemd's default stop timeout is 90 s). */
    static final Duration STOP_BOUND = Duration.ofSeconds(20);

    @Override
    public String name() {
        return "run";
    }

    @Override
    public String summary() {
        return "run the daemon (milter, HTTP workers, IMAP watcher...) until SIGTERM; SIGHUP or `mailsift reload` reloads the configuration";
    }

    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public int run(CommandLine line, Io io) throws Exception {
        CountDownLatch stopRequested = new CountDownLatch(1);
        try (AgentContext context = ContextLoader.open(line)) {
            log.info("configuration {}, data {}", context.config().directory(), context.dataDir());
            context.logMessages(LogLevels.from(context.config()));
            ServiceGroup services = new ServiceGroup(context, Services.create());
            TerminationSignals.install(stopRequested::countDown);
            Thread hook = new Thread(() -> services.stop(STOP_BOUND), "mailsift-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            // before the services start: with Type=simple, systemd may send a reload's SIGHUP that early, and the
            // JVM's default action for it is to exit
            ConfigReload reload = new ConfigReload(context, services::running, () -> ContextLoader.config(line));
            context.reloader(reload::reload); // `mailsift reload` (the controller's /reload)
            ReloadSignal.install(reload::reload);
            context.configApplier(reload::apply); // the web interface's saved settings apply as a SIGHUP does
            readyEngine(context);
            services.start(STOP_BOUND);
            context.config().warnings().forEach(w -> log.warn("{}", w));
            log.info("mailsift running with {} service(s); stop with SIGTERM", services.startedCount());
            stopRequested.await();
            services.stop(STOP_BOUND);
            removeHook(hook);
        }
        log.info("stopped");
        return 0;
    }

    /**
     * Builds the scan engine (rules, maps, Bayes store, resolver, the Public Suffix List and crypto warm-up) before
     * any listener opens, so the first message meets a ready engine: its DNS budget and Postfix's milter timeouts
     * are not spent loading. Should it fail here, the first scan tries again and reports it.
     */
    private static void readyEngine(AgentContext context) {
        long t0 = System.nanoTime();
        try {
            context.scanner();
            log.info("scan engine ready in {} ms", (System.nanoTime() - t0) / 1_000_000);
        } catch (RuntimeException e) {
            log.warn("the scan engine could not be built at start ({}); the first scan tries again", e.toString());
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already exiting; the hook will find the services stopped
        }
    }
}

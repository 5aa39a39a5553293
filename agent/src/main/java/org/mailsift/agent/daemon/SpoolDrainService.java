package org.mailsift.agent.daemon;

import java.nio.file.Path;
import java.time.Duration;

import org.mailsift.agent.AgentContext;
import org.mailsift.controller.WorkerSettings;
import org.mailsift.core.config.UclObject;
import org.mailsift.sieve.spool.SpoolDrainer;

/**
 * Drains the learn spool that share/sieve/mailsift-learn fills while the daemon is unreachable.
 * Configuration ({@code local.d/learn_spool.conf}): {@code path} (default DATADIR/spool), {@code interval}
 * (default 2s), {@code max_size} (default: the controller's {@code max_message}, 50 MB; larger spooled messages go
 * to bad/), {@code enabled} (default yes).
 */
public final class SpoolDrainService implements DaemonService {
    private SpoolDrainer drainer;

    @Override
    public String name() {
        return "spool-drainer";
    }

    @Override
    public boolean enabled(AgentContext context) {
        return context.config().section("learn_spool").getBoolean("enabled", true);
    }

    @Override
    public void start(AgentContext context) throws Exception {
        UclObject c = context.config().section("learn_spool");
        String path = c.getString("path", null);
        Path spool = path == null ? context.dataDir().resolve("spool") : Path.of(path);
        long maxBytes = c.getLong("max_size", controllerLimit(context));
        drainer = new SpoolDrainer(spool, context.learner(), Duration.ofMillis(c.getMillis("interval", 2000)), maxBytes);
        drainer.start();
    }

    /** What the controller accepts over HTTP (max_message): a spooled learn is the same request, delayed. */
    private static long controllerLimit(AgentContext context) {
        try {
            return WorkerSettings.fromConfig(context.config().section("worker-controller"), WorkerSettings.controllerDefaults(),
                    msg -> { }).maxBodyBytes();
        } catch (RuntimeException e) {
            return SpoolDrainer.DEFAULT_MAX_BYTES;
        }
    }

    @Override
    public void close() throws Exception {
        if (drainer != null) {
            drainer.close();
        }
    }
}

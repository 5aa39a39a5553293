package org.mailsift.agent.daemon;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.mailsift.agent.AgentContext;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.core.scan.ScanListener;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.testsupport.PostfixServer;

/**
 * The daemon's milter behind a real Postfix that takes XCLIENT from loopback (so a test sets each SMTP client's
 * address), with every milter scan's result kept by Message-ID as the daemon recorded it.
 */
final class MilterBehindPostfix implements AutoCloseable {
    final Map<String, ScanResult> byId;
    final AgentContext context;
    final PostfixServer postfix;
    private final MilterService milter;

    private MilterBehindPostfix(Map<String, ScanResult> byId, AgentContext context, MilterService milter,
                                PostfixServer postfix) {
        this.byId = byId;
        this.context = context;
        this.milter = milter;
        this.postfix = postfix;
    }

    static MilterBehindPostfix start(Path etc, Path db) throws Exception {
        AgentContext context = new AgentContext(ConfigDirectory.open(etc), db);
        MilterService milter = new MilterService();
        try {
            Map<String, ScanResult> byId = new ConcurrentHashMap<>();
            context.addScanListener((source, envelope, raw, result) -> {
                if (source == ScanListener.ScanSource.MILTER) {
                    byId.put(result.messageId(), result);
                }
            });
            milter.start(context);
            int port = ((InetSocketAddress) milter.server().boundAddresses().get(0)).getPort();
            PostfixServer postfix = PostfixServer.start(PostfixServer.options().milters("inet:127.0.0.1:" + port)
                    .set("smtpd_authorized_xclient_hosts", "127.0.0.0/8"));
            return new MilterBehindPostfix(byId, context, milter, postfix);
        } catch (Exception | Error e) {
            milter.close();
            context.close();
            throw e;
        }
    }

    @Override
    public void close() throws Exception {
        try (context; milter; postfix) {
            // closed in reverse order: Postfix, the milter, the daemon's context
        }
    }
}

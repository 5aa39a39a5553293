package org.mailsift.milter.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.SocketAddress;
import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailsift.core.metrics.Metrics;
import org.mailsift.core.config.BindSocket;
import org.mailsift.milter.MilterFrames;
import org.mailsift.milter.MilterLimits;
import org.mailsift.milter.MilterSettings;
import org.mailsift.milter.RawMilterClient;
import org.mailsift.milter.TestScanner;
import org.slf4j.LoggerFactory;

/**
 * Byte-level transcripts of conversations the state table refuses, and of connections that go over a limit: the MTA
 * sees its connection closed (and applies milter_default_action), the log says which command, never what it carried.
 */
class MilterStateTranscriptTest {
    private static final String[][] HEADERS = {{"From", "carol@sender.test"}, {"Subject", "hello"}};

    private final Metrics metrics = new Metrics();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger handlerLog = (Logger) LoggerFactory.getLogger(MilterConnectionHandler.class);
    private final ch.qos.logback.classic.Level configuredLevel = handlerLog.getLevel();
    private MilterServer server;

    @BeforeEach
    void captureLogs() {
        logs.start();
        handlerLog.setLevel(ch.qos.logback.classic.Level.WARN); // logback-test.xml quiets it for the fuzz test
        handlerLog.addAppender(logs);
    }

    @AfterEach
    void stop() {
        handlerLog.detachAppender(logs);
        handlerLog.setLevel(configuredLevel);
        if (server != null) {
            server.close();
        }
    }

    private SocketAddress start(MilterLimits limits) throws Exception {
        MilterSettings settings = MilterSettings.defaults().withBindSockets(List.of(BindSocket.tcp("127.0.0.1", 0))).withLimits(limits);
        server = new MilterServer(settings, new TestScanner(null), metrics);
        return server.start().get(0);
    }

    private static MilterFrames greeting() {
        return MilterFrames.frames().postfixOptneg().connect("client.test", '4', 4000, "192.0.2.10").helo("client.test");
    }

    private String logText() {
        return String.join("\n", logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
    }

    @Test
    void rcptBeforeMailClosesTheConnectionAndLogsTheCommandOnly() throws Exception {
        try (RawMilterClient mta = new RawMilterClient(start(MilterLimits.defaults()))) {
            mta.send(greeting().rcpt("<secret-recipient@example.test>").bytes());
            assertThat(mta.reply()).isEqualTo("O:6:49:1044608");
            assertThat(mta.closedByServer()).isTrue();
        }
        assertThat(metrics.counterValue(MilterMetrics.ERRORS_TOTAL, "kind", "protocol")).isEqualTo(1);
        assertThat(logText()).contains("RCPT is out of order in state BETWEEN_MESSAGES").doesNotContain("secret-recipient");
    }

    @Test
    void bodyBeforeEndOfHeadersClosesTheConnection() throws Exception {
        try (RawMilterClient mta = new RawMilterClient(start(MilterLimits.defaults()))) {
            mta.send(greeting().mail("<carol@sender.test>").rcpt("<alice@example.test>").data().header("Subject", "x")
                    .body("confidential body text").bytes());
            assertThat(mta.reply()).isEqualTo("O:6:49:1044608");
            assertThat(mta.closedByServer()).isTrue();
        }
        assertThat(logText()).contains("BODY is out of order in state HEADERS").doesNotContain("confidential");
    }

    @Test
    void aWellOrderedConversationStillGetsItsVerdictsAcrossAbortAndQuitNc() throws Exception {
        try (RawMilterClient mta = new RawMilterClient(start(MilterLimits.defaults()))) {
            mta.send(greeting().mail("<a@sender.test>").rcpt("<alice@example.test>").abort()
                    .postfixMessage("Q1", "carol@sender.test", "alice@example.test", HEADERS, "body").bytes());
            assertThat(mta.reply()).startsWith("O:6");
            assertThat(mta.repliesUntilFinal()).last().isEqualTo("a");
            mta.send(MilterFrames.frames().quitNc().connect("next.test", '4', 4001, "192.0.2.11")
                    .postfixMessage("Q2", "carol@sender.test", "alice@example.test", HEADERS, "body").bytes());
            assertThat(mta.repliesUntilFinal()).last().isEqualTo("a");
        }
        assertThat(metrics.counterValue(MilterMetrics.ERRORS_TOTAL, "kind", "protocol")).isZero();
    }

    @Test
    void oneHeaderOverMaxHeadersClosesTheConnection() throws Exception {
        MilterLimits d = MilterLimits.defaults();
        SocketAddress address = start(new MilterLimits(20, d.maxRecipients(), d.maxAddressBytes(), d.maxMacroBytes(),
                d.maxConnections(), d.maxConnectionsPerIp(), d.packetTimeout()));
        try (RawMilterClient mta = new RawMilterClient(address)) {
            MilterFrames f = greeting().mail("<a@sender.test>").rcpt("<alice@example.test>").data();
            for (int i = 0; i < 21; i++) {
                f.header("Received", "from hop" + i);
            }
            mta.send(f.eoh().body("x").eob().bytes());
            assertThat(mta.reply()).startsWith("O:6");
            assertThat(mta.closedByServer()).isTrue();
        }
        assertThat(metrics.counterValue(MilterMetrics.ERRORS_TOTAL, "kind", "limit")).isEqualTo(1);
        assertThat(logText()).contains("more than 20 headers (max_headers)");
    }

    @Test
    void oneRecipientOverMaxRecipientsClosesTheConnection() throws Exception {
        MilterLimits d = MilterLimits.defaults();
        SocketAddress address = start(new MilterLimits(d.maxHeaders(), 5, d.maxAddressBytes(), d.maxMacroBytes(),
                d.maxConnections(), d.maxConnectionsPerIp(), d.packetTimeout()));
        try (RawMilterClient mta = new RawMilterClient(address)) {
            MilterFrames f = greeting().mail("<a@sender.test>");
            for (int i = 0; i < 6; i++) {
                f.rcpt("<r" + i + "@example.test>");
            }
            mta.send(f.bytes());
            assertThat(mta.reply()).startsWith("O:6");
            assertThat(mta.closedByServer()).isTrue();
        }
        assertThat(metrics.counterValue(MilterMetrics.ERRORS_TOTAL, "kind", "limit")).isEqualTo(1);
    }

    @Test
    void macrosOverMaxMacroSizeCloseTheConnection() throws Exception {
        MilterLimits d = MilterLimits.defaults();
        SocketAddress address = start(new MilterLimits(d.maxHeaders(), d.maxRecipients(), d.maxAddressBytes(), 4096,
                d.maxConnections(), d.maxConnectionsPerIp(), d.packetTimeout()));
        try (RawMilterClient mta = new RawMilterClient(address)) {
            MilterFrames f = greeting();
            for (int i = 0; i < 100; i++) {
                f.macro('C', "{m" + i + "}", "v".repeat(100));
            }
            mta.send(f.bytes());
            assertThat(mta.reply()).startsWith("O:6");
            assertThat(mta.closedByServer()).isTrue();
        }
        assertThat(metrics.counterValue(MilterMetrics.ERRORS_TOTAL, "kind", "limit")).isEqualTo(1);
    }
}

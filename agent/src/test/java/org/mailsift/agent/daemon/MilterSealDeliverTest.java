package org.mailsift.agent.daemon;

import org.mailsift.agent.StockConfiguration;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.agent.AgentContext;
import org.mailsift.agent.Main;
import org.mailsift.agent.cli.CliCommand;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.message.HeaderRewriter;
import org.mailsift.core.message.VerdictSeal;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.HeaderChange;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.sieve.deliver.LocalDelivery;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * The trust path end to end with the real engine: the daemon's milter scanner seals its verdict, the MTA applies the
 * header edits, and {@code mailsift deliver} with the same data dir trusts the headers; with another key it scans.
 * Whether deliver scanned is read from its debug log (the only observable difference when the verdicts agree).
 */
class MilterSealDeliverTest {
    static final String INCOMING = "Received: from client.sender.test (client.sender.test [192.0.2.10])\r\n"
            + "From: Carol <carol@sender.test>\r\nTo: Alice <alice@example.test>\r\nSubject: lunch on friday\r\n"
            + "Message-ID: <lunch.on.friday@sender.test>\r\nDate: Sat, 21 Nov 2026 20:00:00 +0000\r\n"
            + "X-Spam: No\r\n" // a flag of the sender's choice
            + "\r\nHi Alice, lunch on Friday at noon? Carol\r\n";

    @TempDir
    Path dir;
    final ListAppender<ILoggingEvent> deliverLog = new ListAppender<>();
    final Logger localDelivery = (Logger) LoggerFactory.getLogger(LocalDelivery.class);

    @BeforeEach
    void captureDeliverLog() {
        localDelivery.setLevel(Level.DEBUG);
        deliverLog.start();
        localDelivery.addAppender(deliverLog);
    }

    @AfterEach
    void release() {
        localDelivery.detachAppender(deliverLog);
        localDelivery.setLevel(null);
    }

    Path config(String actions) throws IOException {
        Path etc = StockConfiguration.copyTo(dir.resolve("etc"));
        Files.writeString(etc.resolve("local.d/actions.conf"), actions);
        // the seal's path, not greylisting: a stranger's spam would be asked to retry first (GreylistThroughPostfixTest)
        Files.writeString(etc.resolve("local.d/greylist.conf"), "enabled = false;\n");
        return etc;
    }

    /** The message with a seal some other mailsift made, as a sender could bring it along. */
    String incoming() throws IOException {
        String forged = VerdictSeal.open(dir.resolve("other-host")).seal(INCOMING.getBytes(StandardCharsets.US_ASCII), List.of(), Instant.now());
        return VerdictSeal.HEADER + ": " + forged + "\r\n" + INCOMING;
    }

    /** What the milter on this host does to a message: scan with the daemon's sealing scanner, MTA applies the edits. */
    static byte[] throughTheMilter(AgentContext daemon, String incoming, Action expected) {
        byte[] raw = incoming.getBytes(StandardCharsets.US_ASCII);
        Envelope envelope = Envelope.builder().clientIp("192.0.2.10").helo("client.sender.test").mailFrom("carol@sender.test")
                .addRcpt("alice@example.test").queueId("4ABC123").build();
        ScanResult result = new MilterService().scanner(daemon).scan(raw, envelope);
        assertThat(result.action()).isEqualTo(expected);
        assertThat(result.headerChanges()).contains(HeaderChange.removeAll(VerdictSeal.HEADER)); // the sender's seal
        return HeaderRewriter.apply(raw, result.headerChanges());
    }

    int deliver(Path etc, Path dataDir, byte[] message, Path maildir) {
        CliCommand.Io io = new CliCommand.Io(new ByteArrayInputStream(message), new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        return Main.run(new String[] {"deliver", "-c", etc.toString(), "--dbdir", dataDir.toString(), "-d", "alice",
                "-f", "carol@sender.test", "--maildir", maildir.toString()}, io);
    }

    List<String> deliverDecisions() {
        return deliverLog.list.stream().filter(e -> e.getLevel() == Level.DEBUG).map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains("verdict seal")).toList();
    }

    static String onlyFile(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            List<Path> files = s.toList();
            assertThat(files).hasSize(1);
            return Files.readString(files.get(0));
        }
    }

    @Test
    void hamSealedByOurMilterIsDeliveredWithoutAScanAndTheSendersSealIsGone() throws Exception {
        Path etc = config("");
        Path data = dir.resolve("data");
        byte[] sealed;
        try (AgentContext daemon = new AgentContext(ConfigDirectory.open(etc), data)) {
            sealed = throughTheMilter(daemon, incoming(), Action.NO_ACTION);
        }
        // Postfix hands mailbox_command the message with LF line endings
        String delivered = new String(sealed, StandardCharsets.US_ASCII).replace("\r\n", "\n");
        assertThat(delivered.lines().filter(l -> l.startsWith(VerdictSeal.HEADER))).hasSize(1);

        assertThat(deliver(etc, data, delivered.getBytes(StandardCharsets.US_ASCII), dir.resolve("Maildir"))).isZero();
        assertThat(deliverDecisions()).singleElement().asString().startsWith("verdict seal verified");
        assertThat(onlyFile(dir.resolve("Maildir/new"))).contains("X-Spamd-Result: default: False [").doesNotContain("X-Spam: ");
    }

    @Test
    void spamFlaggedByOurMilterGoesToJunkWithoutAScan() throws Exception {
        // every message is "add header" here, so the milter's own X-Spam edit is part of what the seal covers
        Path etc = config("add_header = -1000;\ngreylist = null;\n");
        Path data = dir.resolve("data");
        byte[] sealed;
        try (AgentContext daemon = new AgentContext(ConfigDirectory.open(etc), data)) {
            sealed = throughTheMilter(daemon, incoming(), Action.ADD_HEADER);
        }
        assertThat(deliver(etc, data, sealed, dir.resolve("Maildir"))).isZero();
        assertThat(deliverDecisions()).singleElement().asString().startsWith("verdict seal verified");
        assertThat(onlyFile(dir.resolve("Maildir/.Junk/new"))).contains("X-Spam: Yes");
    }

    @Test
    void deliverWithAnotherDataDirHasAnotherKeyAndScans() throws Exception {
        Path etc = config("");
        byte[] sealed;
        try (AgentContext daemon = new AgentContext(ConfigDirectory.open(etc), dir.resolve("data"))) {
            sealed = throughTheMilter(daemon, incoming(), Action.NO_ACTION);
        }
        assertThat(deliver(etc, dir.resolve("elsewhere"), sealed, dir.resolve("Maildir"))).isZero();
        assertThat(deliverDecisions()).singleElement().asString().isEqualTo("scanning the message (verdict seal: BAD_MAC)");
        assertThat(onlyFile(dir.resolve("Maildir/new"))).contains("X-Spamd-Result: default: False [").doesNotContain(VerdictSeal.HEADER);
    }

    @Test
    void tamperingAfterTheMilterMakesDeliverScan() throws Exception {
        Path etc = config("");
        Path data = dir.resolve("data");
        byte[] sealed;
        try (AgentContext daemon = new AgentContext(ConfigDirectory.open(etc), data)) {
            sealed = throughTheMilter(daemon, incoming(), Action.NO_ACTION);
        }
        String tampered = new String(sealed, StandardCharsets.US_ASCII).replace("noon", "the casino");
        assertThat(deliver(etc, data, tampered.getBytes(StandardCharsets.US_ASCII), dir.resolve("Maildir"))).isZero();
        assertThat(deliverDecisions()).singleElement().asString().isEqualTo("scanning the message (verdict seal: BAD_MAC)");
    }
}

package org.mailsift.agent.paths;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mailsift.agent.AgentContext;
import org.mailsift.agent.Main;
import org.mailsift.agent.StockConfiguration;
import org.mailsift.agent.cli.CliCommand;
import org.mailsift.controller.protocol.ScanReplyJson;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.message.HeaderRewriter;
import org.mailsift.core.message.MessageParser;
import org.mailsift.core.message.ParsedMessage;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.HeaderChange;
import org.mailsift.core.scan.ScanListener;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.milter.MilterSettings;
import org.mailsift.milter.codec.MilterReply;
import org.mailsift.milter.session.VerdictReplies;
import org.mailsift.sieve.deliver.DeliverSettings;
import org.mailsift.sieve.deliver.DeliveryRequest;
import org.mailsift.sieve.deliver.LocalDelivery;
import org.mailsift.sieve.engine.SieveEngine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One verdict, every path: the same scan result written into the message by the core applier ({@code scan --mime}),
 * by {@code filter}, by {@code deliver} into a Maildir, by the milter's replies as the MTA applies them, and by the
 * HTTP reply's milter block as an Rspamd milter client applies it, gives the same message byte for byte.
 */
class VerdictPathsTest {
    /** Forged verdict headers and a forged seal of a sender, a Subject to rewrite, CRLF as the milter receives it. */
    static final String INCOMING = "Received: from client.sender.test (client.sender.test [192.0.2.10])\r\n"
            + "X-Mailsift-Seal: v=1; t=1; mac=forged\r\n"
            + "From: Carol <carol@sender.test>\r\nTo: Alice <alice@example.test>\r\nSubject: lunch on friday\r\n"
            + "X-Spam: No\r\n"
            + "Message-ID: <lunch.on.friday@sender.test>\r\nDate: Sat, 21 Nov 2026 20:00:00 +0000\r\n"
            + "X-Spamd-Result: default: False [-5.00 / 15.00];\r\n\tFORGED(-5.00)[]\r\n"
            + "X-Spam: no, really\r\n"
            + "\r\nHi Alice, lunch on Friday at noon? Carol\r\n";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no action       | ",
            "add header      | add_header = -1000; greylist = null;",
            "rewrite subject | rewrite_subject = -1000; add_header = null; greylist = null;",
            "extended headers, spam flag kept upstream | add_header = -1000; greylist = null; @remove_upstream_spam_flag = false;"})
    void everyPathWritesTheSameMessage(String name, String actions) throws Exception {
        Path etc = StockConfiguration.copyTo(dir.resolve("etc"));
        String conf = actions == null ? "" : actions;
        if (conf.contains("@")) {
            Files.writeString(etc.resolve("local.d/milter_headers.conf"),
                    "extended_spam_headers = true;\n" + conf.substring(conf.indexOf('@') + 1) + "\n");
            conf = conf.substring(0, conf.indexOf('@'));
        }
        Files.writeString(etc.resolve("local.d/actions.conf"), conf.replace("; ", ";\n"));
        Path data = dir.resolve("data");
        byte[] raw = INCOMING.getBytes(StandardCharsets.US_ASCII);

        ScanResult verdict;
        try (AgentContext context = new AgentContext(ConfigDirectory.open(etc), data)) {
            verdict = context.scanner(ScanListener.ScanSource.CLI).scan(raw, Envelope.EMPTY);
        }
        byte[] expected = HeaderRewriter.apply(raw, verdict.headerChanges());
        String text = new String(expected, StandardCharsets.US_ASCII);
        assertThat(text).doesNotContain("X-Mailsift-Seal").doesNotContain("FORGED").containsOnlyOnce("Subject:");
        if (verdict.action().isSpam()) {
            assertThat(text).containsOnlyOnce("X-Spam: ").contains("X-Spam: Yes\r\n");
        }
        if (verdict.action() == Action.REWRITE_SUBJECT) {
            assertThat(text).contains("Subject: " + verdict.subject() + "\r\n").contains("*** SPAM *** lunch on friday");
        }

        assertThat(throughTheMilter(raw, verdict)).as("milter").isEqualTo(text);
        assertThat(throughTheHttpMilterBlock(raw, verdict)).as("HTTP milter block").isEqualTo(text);
        assertThat(throughDeliver(raw, verdict, etc, data)).as("deliver").isEqualTo(text);
        assertThat(cli(etc, data, raw, "scan", "--mime", "-")).as("scan --mime").isEqualTo(text);
        assertThat(cli(etc, data, raw, "filter")).as("filter").isEqualTo(text);
    }

    /** The milter's replies, applied as the MTA applies them (CHGHEADER index, empty value deletes; INSHEADER; ADDHEADER). */
    static String throughTheMilter(byte[] raw, ScanResult verdict) {
        Map<String, Integer> counts = new HashMap<>();
        for (ParsedMessage.Header h : MessageParser.parse(raw).headers()) {
            counts.merge(h.name().toLowerCase(Locale.ROOT), 1, Integer::sum);
        }
        List<HeaderChange> asTheMtaDoes = new ArrayList<>();
        List<MilterReply> replies = new VerdictReplies(MilterSettings.defaults()).forResult(verdict, counts);
        assertThat(replies).as("one Subject edit at most").filteredOn(r -> r.toString().contains("Subject")).hasSizeLessThan(2);
        for (MilterReply r : replies) {
            switch (r) {
                case MilterReply.AddHeader a -> asTheMtaDoes.add(HeaderChange.add(a.name(), a.value()));
                case MilterReply.InsertHeader i -> asTheMtaDoes.add(HeaderChange.insert(i.name(), i.value(), i.index()));
                case MilterReply.ChangeHeader c -> asTheMtaDoes.add(c.value().isEmpty()
                        ? HeaderChange.remove(c.name(), c.index())
                        : new HeaderChange(HeaderChange.Kind.SET, c.name(), c.value(), c.index()));
                default -> assertThat(r).isEqualTo(MilterReply.ACCEPT);
            }
        }
        return new String(HeaderRewriter.apply(raw, asTheMtaDoes), StandardCharsets.US_ASCII);
    }

    /**
     * The /checkv2 reply as an Rspamd milter client applies it: remove_headers (index 0 = all), then add_headers
     * (with {@code order}: insert there), then the rewritten {@code subject} into the first Subject.
     */
    static String throughTheHttpMilterBlock(byte[] raw, ScanResult verdict) throws IOException {
        JsonNode reply = new ObjectMapper().readTree(ScanReplyJson.checkV2(verdict));
        List<HeaderChange> edits = new ArrayList<>();
        JsonNode block = reply.path("milter");
        block.path("remove_headers").properties().forEach(e -> {
            for (JsonNode idx : e.getValue().isArray() ? e.getValue() : List.of(e.getValue())) {
                edits.add(idx.asInt() == 0 ? HeaderChange.removeAll(e.getKey()) : HeaderChange.remove(e.getKey(), idx.asInt()));
            }
        });
        block.path("add_headers").properties().forEach(e -> {
            for (JsonNode v : e.getValue().isArray() ? e.getValue() : List.of(e.getValue())) {
                edits.add(v.isObject() ? HeaderChange.insert(e.getKey(), v.get("value").asText(), v.get("order").asInt())
                        : HeaderChange.add(e.getKey(), v.asText()));
            }
        });
        if (reply.path("action").asText().equals("rewrite subject") && reply.has("subject")) {
            edits.add(HeaderChange.set("Subject", reply.get("subject").asText()));
        }
        return new String(HeaderRewriter.apply(raw, edits), StandardCharsets.US_ASCII);
    }

    /** {@code deliver} with this verdict: the file it stores (Junk or INBOX: wherever the shipped Sieve puts it). */
    static String throughDeliver(byte[] raw, ScanResult verdict, Path etc, Path data) throws Exception {
        Path maildir = data.resolve("Maildir");
        try (AgentContext context = new AgentContext(ConfigDirectory.open(etc), data)) {
            DeliverSettings settings = DeliverSettings.from(context.config().section("deliver"), data, context.config()::warn);
            LocalDelivery delivery = new LocalDelivery(settings, new SieveEngine(), (r, e) -> verdict, null, Path.of("/etc/passwd"));
            delivery.deliver(new DeliveryRequest("alice", null, "carol@sender.test", maildir, null, raw));
        }
        try (Stream<Path> files = Files.walk(maildir)) {
            List<Path> stored = files.filter(Files::isRegularFile).filter(p -> p.getParent().getFileName().toString().equals("new")).toList();
            assertThat(stored).hasSize(1);
            return Files.readString(stored.get(0), StandardCharsets.US_ASCII);
        }
    }

    static String cli(Path etc, Path data, byte[] stdin, String... command) {
        List<String> args = new ArrayList<>(List.of(command[0], "-c", etc.toString(), "--dbdir", data.toString()));
        args.addAll(List.of(command).subList(1, command.length));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CliCommand.Io io = new CliCommand.Io(new ByteArrayInputStream(stdin), new PrintStream(out, true, StandardCharsets.US_ASCII),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.US_ASCII));
        assertThat(Main.run(args.toArray(String[]::new), io)).isZero();
        return out.toString(StandardCharsets.US_ASCII);
    }
}

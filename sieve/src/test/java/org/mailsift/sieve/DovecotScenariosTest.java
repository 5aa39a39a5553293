package org.mailsift.sieve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.learn.LearnClass;
import org.mailsift.core.learn.LearnOutcome;
import org.mailsift.core.learn.LearnRequest;
import org.mailsift.core.learn.LearnStatistics;
import org.mailsift.core.learn.Learner;
import org.mailsift.sieve.deliver.DeliverSettings;
import org.mailsift.sieve.deliver.DeliveryRequest;
import org.mailsift.sieve.deliver.LocalDelivery;
import org.mailsift.sieve.engine.SieveEngine;
import org.mailsift.sieve.spool.SpoolDrainer;
import org.mailsift.testsupport.DovecotServer;
import org.mailsift.testsupport.RawImapClient;

import com.sun.net.httpserver.HttpServer;

/**
 * The shipped scripts and helper in a real Dovecot 2.3 (LMTP + Sieve + IMAPSieve): delivery into Junk, learning
 * from IMAP moves through mailsift-learn to an endpoint answering like the controller's /learnspam and /learnham,
 * the spool while that endpoint is down, and Maildirs written by our delivery agent read back over IMAP.
 */
class DovecotScenariosTest {
    static final Path DIST = Path.of(System.getProperty("mailsift.root", "..")).resolve("sieve/src/main/dist");

    @TempDir
    Path tmp;
    HttpServer controller;
    int controllerPort;
    final List<String> learned = new CopyOnWriteArrayList<>();
    DovecotServer dovecot;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(DovecotServer.available(), "dovecot not installed or not root");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl not installed (the learn helper needs it)");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
        controllerPort = org.mailsift.testsupport.FreePort.onLoopback();
        startController();
        Path scripts = Files.createDirectories(tmp.resolve("sieve"));
        for (String name : List.of(ShippedScripts.SPAM_TO_JUNK, ShippedScripts.REPORT_SPAM, ShippedScripts.REPORT_HAM)) {
            Files.write(scripts.resolve(name), ShippedScripts.read(name));
        }
        Files.setPosixFilePermissions(scripts, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path bin = Files.createDirectories(tmp.resolve("sieve-pipe"));
        // what an admin puts in sieve_pipe_bin_dir: the shipped helper, pointed at the daemon and the spool
        Files.writeString(bin.resolve("mailsift-learn"), "#!/bin/sh\nexec /bin/sh " + DIST.resolve("sieve/mailsift-learn")
                + " --url http://127.0.0.1:" + controllerPort + " --spool " + tmp.resolve("spool") + " --timeout 1 \"$@\"\n");
        Files.setPosixFilePermissions(bin.resolve("mailsift-learn"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(tmp.resolve("spool"));
        Files.setPosixFilePermissions(tmp.resolve("spool"), PosixFilePermissions.fromString("rwxrwxrwx"));
        dovecot = DovecotServer.builder().user("alice", "pw").lmtp()
                .sieveBefore(scripts.resolve(ShippedScripts.SPAM_TO_JUNK))
                .imapSieveRule("Junk", null, "COPY APPEND", scripts.resolve(ShippedScripts.REPORT_SPAM))
                .imapSieveRule("*", "Junk", "COPY", scripts.resolve(ShippedScripts.REPORT_HAM))
                .sievePipeBinDir(bin)
                .extraConfig("plugin {\n  sieve_extensions = +special-use\n}\n")
                .start();
    }

    @AfterEach
    void stop() {
        if (controller != null) {
            controller.stop(0);
        }
        if (dovecot != null) {
            dovecot.close();
        }
    }

    void startController() throws IOException {
        controller = HttpServer.create(new InetSocketAddress("127.0.0.1", controllerPort), 0);
        for (String path : List.of("/learnspam", "/learnham")) {
            controller.createContext(path, ex -> {
                String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("Message-ID: (<[^>]+>)").matcher(body);
                learned.add(path.substring(6) + " " + ex.getRequestHeaders().getFirst("Deliver-To") + " " + (m.find() ? m.group(1) : "?"));
                ex.sendResponseHeaders(200, -1);
                ex.close();
            });
        }
        controller.start();
    }

    void awaitLearned(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (learned.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    static byte[] message(String id, String extraHeader) {
        return ("From: ann@a.example\r\nTo: alice@example.test\r\nSubject: test " + id + "\r\nMessage-ID: <" + id + "@a.example>\r\n"
                + extraHeader + "\r\nhello " + id + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void lmtpDeliveryOfSpamLandsInJunkThroughSpamToJunkSieve() throws Exception {
        lmtp(new String(message("s1", "X-Spam: Yes\r\n"), StandardCharsets.US_ASCII));
        lmtp(new String(message("h1", ""), StandardCharsets.US_ASCII));
        try (RawImapClient c = RawImapClient.login(dovecot, "alice", "pw")) {
            c.select("Junk");
            assertThat(c.searchHeader("Message-ID", "<s1@a.example>")).hasSize(1);
            c.select("INBOX");
            assertThat(c.searchHeader("Message-ID", "<h1@a.example>")).hasSize(1);
            assertThat(c.searchHeader("Message-ID", "<s1@a.example>")).isEmpty();
        }
    }

    @Test
    void movingIntoJunkLearnsSpamAndOutOfJunkLearnsHamButNotIntoTrash() throws Exception {
        try (RawImapClient c = RawImapClient.login(dovecot, "alice", "pw")) {
            c.append("INBOX", message("m1", ""));
            c.append("INBOX", message("m2", ""));
            c.select("INBOX");
            c.move("<m1@a.example>", "Junk");
            c.move("<m2@a.example>", "Junk");
            awaitLearned(2);
            c.select("Junk");
            c.move("<m1@a.example>", "INBOX");
            c.move("<m2@a.example>", "Trash");
            awaitLearned(3);
            Thread.sleep(300); // a Trash learn would arrive in this time
        }
        assertThat(learned).containsExactlyInAnyOrder("spam alice <m1@a.example>", "spam alice <m2@a.example>", "ham alice <m1@a.example>");
        assertThat(spooled()).isEmpty();
    }

    @Test
    void withTheDaemonDownTheMoveStaysFastAndTheSpooledLearnIsDrainedLater() throws Exception {
        controller.stop(0);
        controller = null;
        long moveMillis;
        try (RawImapClient c = RawImapClient.login(dovecot, "alice", "pw")) {
            c.append("INBOX", message("d1", ""));
            c.select("INBOX");
            long start = System.nanoTime();
            c.move("<d1@a.example>", "Junk");
            moveMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(c.messages("Junk")).isEqualTo(1);
        }
        assertThat(moveMillis).as("MOVE round trip").isLessThan(2000);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (spooled().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(spooled()).hasSize(1);

        List<String> drained = new CopyOnWriteArrayList<>();
        Learner daemonLearner = new Learner() {
            @Override
            public LearnOutcome learn(byte[] raw, LearnRequest request) {
                drained.add(request.learnClass().label() + " " + request.user() + " " + new String(raw, StandardCharsets.US_ASCII).contains("<d1@a.example>"));
                return new LearnOutcome(LearnOutcome.Status.LEARNED, "d1@a.example", "ok");
            }

            @Override
            public LearnStatistics statistics() {
                return new LearnStatistics("test", 0, 0, 0, 0, java.util.Map.of(), 0);
            }
        };
        try (SpoolDrainer drainer = new SpoolDrainer(tmp.resolve("spool"), daemonLearner, Duration.ofMillis(50))) {
            drainer.start();
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (drained.isEmpty() && System.nanoTime() < until) {
                Thread.sleep(20);
            }
        }
        assertThat(drained).containsExactly(LearnClass.SPAM.label() + " alice true");
        assertThat(spooled()).isEmpty();
    }

    @Test
    void mailsiftDeliverWritesAMaildirDovecotServesWithFolderAndFlags() throws Exception {
        Path maildir = dovecot.maildir("alice");
        Path userScript = Files.writeString(tmp.resolve("user.sieve"), """
                require ["fileinto", "mailbox", "imap4flags"];
                if header :contains "Subject" "report" { fileinto :create :flags "\\\\Seen \\\\Flagged" "Reports"; }
                """);
        LocalDelivery delivery = new LocalDelivery(DeliverSettings.defaults(tmp.resolve("data")), new SieveEngine(), null, null, null);
        delivery.deliver(new DeliveryRequest("alice", null, "ann@a.example", maildir, userScript,
                ("Subject: monthly report\nMessage-ID: <r1@a.example>\n\nnumbers\n").getBytes(StandardCharsets.US_ASCII)));
        delivery.deliver(new DeliveryRequest("alice", null, "ann@a.example", maildir, userScript,
                ("Subject: lunch\nMessage-ID: <l1@a.example>\nX-Spam: Yes\n\nspam\n").getBytes(StandardCharsets.US_ASCII)));
        delivery.deliver(new DeliveryRequest("alice", null, "ann@a.example", maildir, userScript,
                ("Subject: hello\nMessage-ID: <n1@a.example>\n\nhi\n").getBytes(StandardCharsets.US_ASCII)));
        // deliver runs as the mail user in production; here (root) hand the files to Dovecot's mail user
        new ProcessBuilder("chown", "-R", "mail:mail", maildir.toString()).start().waitFor();
        try (RawImapClient c = RawImapClient.login(dovecot, "alice", "pw")) {
            c.select("Reports");
            assertThat(c.ok("UID FETCH 1:* (FLAGS BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")).anyMatch(l -> l.contains("\\Seen") && l.contains("\\Flagged"));
            assertThat(c.searchHeader("Message-ID", "<r1@a.example>")).hasSize(1);
            c.select("Junk");
            assertThat(c.searchHeader("Message-ID", "<l1@a.example>")).hasSize(1);
            c.select("INBOX");
            assertThat(c.searchHeader("Message-ID", "<n1@a.example>")).hasSize(1);
            assertThat(c.ok("UID FETCH 1:* (FLAGS)")).noneMatch(l -> l.contains("\\Seen"));
        }
    }

    List<Path> spooled() throws IOException {
        Path dir = tmp.resolve("spool/new");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    void lmtp(String message) throws Exception {
        try (Socket sock = new Socket(dovecot.host(), dovecot.lmtpPort())) {
            BufferedReader r = new BufferedReader(new InputStreamReader(sock.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream o = sock.getOutputStream();
            r.readLine();
            for (String cmd : List.of("LHLO t", "MAIL FROM:<ann@a.example>", "RCPT TO:<alice>", "DATA")) {
                o.write((cmd + "\r\n").getBytes(StandardCharsets.US_ASCII));
                String line;
                do {
                    line = r.readLine();
                } while (line.charAt(3) == '-');
            }
            o.write((message + ".\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(r.readLine()).startsWith("250");
        }
    }
}

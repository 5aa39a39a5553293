package org.mailsift.agent.cli;

import org.mailsift.agent.StockConfiguration;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.agent.AgentContext;
import org.mailsift.agent.Main;
import org.mailsift.agent.daemon.ControllerService;
import org.mailsift.core.config.ConfigDirectory;

/**
 * {@code mailsift learn-spam|learn-ham} and {@code mailsift stat}: directly into the store (no daemon), and through a
 * running daemon's controller when one listens at the configured address.
 */
class LearnCommandTest {
    private static final String OFFER = "From: Prize Desk <winner@lottery.example>\nTo: alice@example.test\n"
            + "Subject: you are a winner\nMessage-ID: <%s@lottery.example>\n\n"
            + "Congratulations, your address won the international lottery draw. Claim the cash prize today by "
            + "sending your bank details to our claims agent before the offer expires.\n";
    private static final String MINUTES = "From: Bob <bob@work.example>\nTo: alice@example.test\nSubject: minutes\n"
            + "Message-ID: <minutes@work.example>\n\n"
            + "Here are the minutes of this morning's release meeting; the deploy moves to Thursday after review.\n";

    @TempDir
    Path tmp;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Runs mailsift with -c ETC --dbdir DATA before the command's own arguments. */
    private int mailsift(Path etc, Path data, String command, String... args) {
        List<String> all = new ArrayList<>(List.of(command, "-c", etc.toString(), "--dbdir", data.toString()));
        all.addAll(List.of(args));
        out.reset();
        CliCommand.Io io = new CliCommand.Io(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        return Main.run(all.toArray(String[]::new), io);
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A copy of the repository's configuration, with the controller on {@code controllerPort} (0 = any). */
    private Path config(int controllerPort) throws IOException {
        Path etc = StockConfiguration.copyTo(tmp.resolve("etc" + controllerPort));
        Files.writeString(etc.resolve("override.d/worker-normal.inc"), "bind_socket = \"127.0.0.1:0\";\n");
        Files.writeString(etc.resolve("override.d/worker-controller.inc"),
                "bind_socket = \"127.0.0.1:" + controllerPort + "\";\nsecure_ip = \"127.0.0.1\";\nenable_password = \""
                        + org.mailsift.controller.security.PasswordHash.create("cli-learn-pw", 1000) + "\";\n");
        return etc;
    }

    private Path mail(String name, String text) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("mail"));
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void eachMessageIsLearnedOnceAndMovingItToTheOtherClassRelearnsIt() throws Exception {
        Path etc = config(0);
        Path data = tmp.resolve("data");
        Path offer = mail("offer.eml", OFFER.formatted("first"));
        Path resent = mail("offer-resent.eml", OFFER.formatted("second")); // same text, another Message-ID

        assertThat(mailsift(etc, data, "learn-spam", "--local", offer.toString(), resent.toString())).isZero();
        assertThat(output()).contains("offer.eml: learned: first@lottery.example has been learned as spam\n",
                "offer-resent.eml: already_learned: second@lottery.example has been already learned as spam, ignore it\n");

        assertThat(mailsift(etc, data, "learn-ham", "--local", offer.toString())).isZero();
        assertThat(output()).contains("offer.eml: relearned: first@lottery.example has been relearned as ham "
                + "(it was learned as spam)\n");

        assertThat(mailsift(etc, data, "stat", "--local")).isZero();
        assertThat(output()).contains("Bayes store: embedded\n", "Learns: spam 0, ham 1\n", "Queued learns: 0\n");
    }

    @Test
    void aMessageWithTooFewWordsIsRefusedAndSaysWhy() throws Exception {
        Path etc = config(0);
        Path tiny = mail("tiny.eml", "Subject: hi\nMessage-ID: <tiny@x.example>\n\nok\n");

        mailsift(etc, tmp.resolve("data"), "learn-spam", "--local", tiny.toString());

        assertThat(output()).containsPattern("tiny.eml: too_few_tokens: tiny@x.example contains less tokens than "
                + "required for bayes classifier: \\d+ < 11\n");
        assertThat(mailsift(etc, tmp.resolve("data"), "stat", "--local")).isZero();
        assertThat(output()).contains("Learns: spam 0, ham 0\n");
    }

    @Test
    void perUserLearnsAreCountedForTheirOwner() throws Exception {
        Path etc = config(0);
        Files.writeString(etc.resolve("local.d/classifier-bayes.conf"), "per_user = true;\n");
        Path data = tmp.resolve("data");

        assertThat(mailsift(etc, data, "learn-ham", "--local", "--user", "alice@example.test",
                mail("minutes.eml", MINUTES).toString())).isZero();
        assertThat(mailsift(etc, data, "stat", "--local")).isZero();

        assertThat(output()).contains("Learns: spam 0, ham 1\n", "Users: 1\n", "  alice@example.test: spam 0, ham 1\n");
    }

    @Test
    void withADaemonRunningTheLearnGoesThroughItsControllerAndItsStore() throws Exception {
        int port = org.mailsift.testsupport.FreePort.onLoopback();
        Path etc = config(port);
        Path daemonData = tmp.resolve("daemon-data");
        Path cliData = tmp.resolve("cli-data");
        Path offer = mail("offer.eml", OFFER.formatted("first"));
        try (AgentContext context = new AgentContext(ConfigDirectory.open(etc), daemonData);
             ControllerService service = new ControllerService()) {
            service.start(context);
            Path pw = Files.writeString(tmp.resolve("learn.pw"), "cli-learn-pw\n");

            assertThat(mailsift(etc, cliData, "learn-spam", offer.toString())).as("no password, even from loopback").isEqualTo(1);
            assertThat(output()).contains("offer.eml: 401 ").contains("--password-file");
            assertThat(mailsift(etc, cliData, "learn-spam", "--password-file", pw.toString(), offer.toString())).isZero();
            assertThat(output()).contains("offer.eml: 200 {\"success\":true}\n");
            assertThat(mailsift(etc, cliData, "learn-spam", "--password-file", pw.toString(), offer.toString())).isZero();
            assertThat(output()).contains("offer.eml: 208 ").contains("has been already learned as spam, ignore it");

            assertThat(context.learner().statistics().spamLearns()).isEqualTo(1);
            assertThat(mailsift(etc, cliData, "stat")).isZero();
            assertThat(output()).contains("From the running daemon at http://127.0.0.1:" + port + "/");
        }
        // the CLI never opened a store of its own: its data directory learned nothing
        assertThat(mailsift(etc, cliData, "stat", "--local")).isZero();
        assertThat(output()).contains("Learns: spam 0, ham 0\n");
    }
}

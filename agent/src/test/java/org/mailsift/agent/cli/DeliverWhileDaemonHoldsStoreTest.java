package org.mailsift.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.agent.AgentContext;
import org.mailsift.agent.Main;
import org.mailsift.agent.StockConfiguration;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.core.learn.LearnClass;
import org.mailsift.core.learn.LearnRequest;
import org.mailsift.core.learn.Learner;

/**
 * `mailsift deliver` (and filter) while the daemon holds the embedded Bayes store: the daemon's learns still count in
 * the verdict, through a read-only view of the store; nothing is written to it and learning from the CLI still
 * refuses to touch it.
 */
class DeliverWhileDaemonHoldsStoreTest {
    @TempDir
    Path tmp;

    /** A message of its own: words only it carries give it its own content digest. */
    static byte[] message(String subject, String body, int n) {
        String own = "";
        for (String w : List.of("alpha", "bravo", "charlie")) {
            own += " " + w + (char) ('a' + n % 26) + (char) ('a' + n / 26 % 26) + subject;
        }
        return ("From: sender" + n + "@example.org\nTo: alice@example.com\nSubject: " + subject + " " + n
                + "\nMessage-ID: <m" + n + "." + subject.hashCode() + "@example.org>\n\n" + body + own + "\n" + body + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    int mailsift(Path etc, byte[] stdin, ByteArrayOutputStream out, String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args[0], "-c", etc.toString(), "--dbdir", tmp.resolve("data").toString()));
        all.addAll(List.of(args).subList(1, args.length));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        return Main.run(all.toArray(String[]::new), new CliCommand.Io(new ByteArrayInputStream(stdin),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
    }

    @Test
    void deliverScansWithTheBayesStoreTheDaemonHolds() throws Exception {
        Path etc = StockConfiguration.copyTo(tmp.resolve("etc"));
        Files.writeString(etc.resolve("local.d/classifier-bayes.conf"), "min_learns = 5;\n");
        String spammy = "cheap replica watches viagra casino bonus claim prize winner free money offer";
        String hammy = "meeting agenda quarterly report project schedule lunch tomorrow budget review notes";
        // the daemon: holds the store (its lock) for the whole test and learns into it
        try (AgentContext daemon = new AgentContext(ConfigDirectory.open(etc), tmp.resolve("data"))) {
            Learner learner = daemon.learner();
            for (int i = 0; i < 10; i++) {
                learner.learn(message("offer", spammy, i), new LearnRequest(LearnClass.SPAM, null, false, "test"));
                learner.learn(message("agenda", hammy, i), new LearnRequest(LearnClass.HAM, null, false, "test"));
            }

            assertThat(learner.statistics().spamLearns()).isEqualTo(10);
            Path maildir = tmp.resolve("alice/Maildir");
            assertThat(mailsift(etc, message("offer", spammy, 99), new ByteArrayOutputStream(),
                    "deliver", "-d", "alice", "--maildir", maildir.toString())).isZero();
            ByteArrayOutputStream filtered = new ByteArrayOutputStream();
            assertThat(mailsift(etc, message("agenda", hammy, 98), filtered, "filter")).isZero();

            List<Path> delivered = new java.util.ArrayList<>();
            for (String d : List.of("new", ".Junk/new")) {
                if (Files.isDirectory(maildir.resolve(d))) {
                    try (var s = Files.list(maildir.resolve(d))) {
                        delivered.addAll(s.toList());
                    }
                }
            }
            assertThat(delivered).hasSize(1);
            assertThat(Files.readString(delivered.get(0))).contains("BAYES_SPAM");
            assertThat(filtered.toString(StandardCharsets.UTF_8)).contains("BAYES_HAM");

            // the daemon's store is untouched and still its own
            assertThat(learner.statistics().spamLearns()).isEqualTo(10);
            int learn = mailsift(etc, message("offer", spammy, 97), new ByteArrayOutputStream(), "learn-spam", "--local", "-");
            assertThat(learn).as("a local learn may not write the store the daemon holds").isNotZero();
            assertThat(learner.statistics().spamLearns()).isEqualTo(10);
        }
    }
}

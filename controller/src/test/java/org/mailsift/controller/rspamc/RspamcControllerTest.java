package org.mailsift.controller.rspamc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.controller.fixtures.RunningController;
import org.mailsift.controller.fixtures.Rspamc;
import org.mailsift.controller.security.PasswordHash;

/** The real rspamc's controller commands (learn, stat, uptime, counters) against our controller worker. */
class RspamcControllerTest {
    private static final String READ = "reader-pass";
    private static final String ENABLE = "learner-pass";
    private RunningController controller;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        Rspamc.assumeInstalled();
        // hashed enable password, plaintext read password: both forms must work
        controller = RunningController.withPasswords(READ, PasswordHash.create(ENABLE, 1000));
    }

    @AfterEach
    void stop() {
        if (controller != null) {
            controller.close();
        }
    }

    private Path spamDir(int n) throws Exception {
        Path d = Files.createDirectories(dir.resolve("spam"));
        for (int i = 0; i < n; i++) {
            Files.writeString(d.resolve("m" + i + ".eml"), "From: promo@shop" + i + ".example.net\r\nTo: bob@example.test\r\n"
                    + "Subject: offer number " + i + "\r\nMessage-ID: <offer-" + i + "@shop.example.net>\r\n\r\n"
                    + "Limited offer " + i + " for watches, handbags, sunglasses and perfume. Click the link below to order "
                    + "before midnight and get free delivery to your door.\r\n", StandardCharsets.US_ASCII);
        }
        return d;
    }

    private static int count(String text, String needle) {
        return (int) Pattern.compile(Pattern.quote(needle)).matcher(text).results().count();
    }

    @Test
    void learningADirectoryTwiceReportsAlreadyLearnedTheSecondTime() throws Exception {
        Path spam = spamDir(4);

        Rspamc.Result first = Rspamc.run("-h", controller.controllerHost(), "-P", ENABLE, "learn_spam", spam.toString());
        Rspamc.Result second = Rspamc.run("-h", controller.controllerHost(), "-P", ENABLE, "learn_spam", spam.toString());

        assertThat(first.exitCode()).isZero();
        assertThat(count(first.output(), "success = true;")).isEqualTo(4);
        assertThat(second.exitCode()).as("208 is a success status for rspamc and learn scripts").isZero();
        assertThat(count(second.output(), "has been already learned as spam, ignore it")).isEqualTo(4);
        assertThat(controller.learner.statistics().spamLearns()).isEqualTo(4);
    }

    @Test
    void statShowsLiveLearnCountsPerClassAndPerUser() throws Exception {
        Path spam = spamDir(3);
        Rspamc.run("-h", controller.controllerHost(), "-P", ENABLE, "learn_spam", spam.toString());
        Rspamc.run("-h", controller.controllerHost(), "-P", ENABLE, "-d", "alice@example.test", "learn_ham",
                RspamcScanTest.message("ham.eml"));

        Rspamc.Result stat = Rspamc.run("-h", controller.controllerHost(), "-P", READ, "stat");

        assertThat(stat.exitCode()).isZero();
        assertThat(stat.output())
                .containsPattern("Statfile: BAYES_SPAM type: embedded; length: 0; free blocks: 0; total blocks: \\d+; "
                        + "free: 0.00%; learned: 3; users: 0; languages: 0")
                .containsPattern("Statfile: BAYES_HAM type: embedded; .*learned: 1; users: 1; languages: 0")
                .contains("Statfile: BAYES_HAM <alice@example.test> type: embedded;")
                .containsPattern("<alice@example.test> type: embedded; .*learned: 1; users: 1")
                .contains("Messages learned: 4")
                .contains("Total learns: 4");
    }

    @Test
    void statCountsScansByAction() throws Exception {
        Rspamc.run("-h", controller.normalHost(), RspamcScanTest.message("pills.eml"));
        Rspamc.run("-h", controller.normalHost(), RspamcScanTest.message("ham.eml"));

        Rspamc.Result stat = Rspamc.run("-h", controller.controllerHost(), "-P", READ, "stat");

        assertThat(stat.output())
                .contains("Messages scanned: 2")
                .contains("Messages with action add header: 1, 50.00%")
                .contains("Messages with action no action: 1, 50.00%")
                .contains("Messages treated as spam: 1, 50.00%")
                .contains("Average scan time: ");
    }

    @Test
    void uptimeAndCountersWork() throws Exception {
        Rspamc.run("-h", controller.normalHost(), RspamcScanTest.message("pills.eml"));

        Rspamc.Result uptime = Rspamc.run("-h", controller.controllerHost(), "-P", READ, "uptime");
        Rspamc.Result counters = Rspamc.run("-h", controller.controllerHost(), "-P", READ, "counters");

        assertThat(uptime.exitCode()).isZero();
        assertThat(uptime.output()).contains("Uptime: ").contains("second");
        assertThat(counters.exitCode()).isZero();
        assertThat(counters.output()).contains("Symbols cache").containsPattern("\\| PILL_WORD +\\|   3.0   \\|");
    }

    @Test
    void wrongOrMissingPasswordIsRefused() throws Exception {
        Rspamc.Result wrong = Rspamc.run("-h", controller.controllerHost(), "-P", "guess", "learn_spam", spamDir(1).toString());
        Rspamc.Result readPassForLearn = Rspamc.run("-h", controller.controllerHost(), "-P", READ, "learn_spam",
                spamDir(1).toString());
        Rspamc.Result none = Rspamc.run("-h", controller.controllerHost(), "stat");
        Rspamc.Result q1 = Rspamc.run("-h", controller.controllerHost(), "-P", "q1", "stat");

        assertThat(wrong.output()).contains("HTTP error: 401, Unauthorized");
        assertThat(readPassForLearn.output()).contains("HTTP error: 401, Unauthorized");
        assertThat(none.output()).contains("HTTP error: 401, Unauthorized");
        assertThat(q1.output()).contains("HTTP error: 401, Unauthorized");
        assertThat(controller.learner.statistics().spamLearns()).isZero();
    }

    @Test
    void enablePasswordAlsoAdmitsReadCommands() throws Exception {
        Rspamc.Result r = Rspamc.run("-h", controller.controllerHost(), "-P", ENABLE, "stat");

        assertThat(r.exitCode()).isZero();
        assertThat(r.output()).contains("Messages scanned: 0");
    }

    @Test
    void tooFewTokensIsReportedAsNoContent() throws Exception {
        Path tiny = Files.writeString(dir.resolve("tiny.eml"), "Subject: hi\r\nMessage-ID: <tiny@x>\r\n\r\nhello\r\n");

        Rspamc.Result r = Rspamc.run("-h", controller.controllerHost(), "-P", ENABLE, "learn_spam", tiny.toString());

        assertThat(r.output()).contains("HTTP error: 204, <tiny@x> contains less tokens than required");
    }
}

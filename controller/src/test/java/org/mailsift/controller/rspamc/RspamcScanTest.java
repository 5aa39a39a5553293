package org.mailsift.controller.rspamc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mailsift.controller.fixtures.RunningController;
import org.mailsift.controller.fixtures.Rspamc;
import org.mailsift.core.message.Envelope;

/** The real rspamc scanning through our workers, asserting on rspamc's own output. */
class RspamcScanTest {
    private static RunningController controller;

    @BeforeAll
    static void start() throws Exception {
        Rspamc.assumeInstalled();
        controller = RunningController.start();
    }

    @AfterAll
    static void stop() {
        if (controller != null) {
            controller.close();
        }
    }

    static String message(String name) throws Exception {
        return Path.of(RspamcScanTest.class.getResource("/messages/" + name).toURI()).toString();
    }

    @Test
    void rspamcShowsOurActionScoreAndSymbols() throws Exception {
        Rspamc.Result r = Rspamc.run("-h", controller.normalHost(), message("pills.eml"));

        assertThat(r.exitCode()).isZero();
        assertThat(r.output())
                .contains("Action: add header")
                .contains("Spam: true")
                .contains("Score: 10.00 / 15.00")
                .contains("Symbol: PILL_WORD (9.00)[3 times]")
                .contains("Symbol: MISSING_DATE (1.00)")
                .contains("Message-ID: pills-1@pills.example.net");
    }

    @Test
    void gtubeIsRejectedWithItsSmtpMessage() throws Exception {
        Rspamc.Result r = Rspamc.run("-h", controller.normalHost(), message("gtube.eml"));

        assertThat(r.output()).contains("Action: reject").contains("Symbol: GTUBE (0.00)")
                .contains("Message - smtp_message: Gtube pattern");
    }

    @Test
    void theControllerPortScansToo() throws Exception {
        // rspamc sends scans to 11334 when given localhost without a port; the controller must answer /checkv2
        Rspamc.Result r = Rspamc.run("-h", controller.controllerHost(), message("ham.eml"));

        assertThat(r.exitCode()).isZero();
        assertThat(r.output()).contains("Action: no action").contains("Spam: false").contains("Score: 0.00 / 15.00");
    }

    @Test
    void zstdCompressedRequestsAreUnderstood() throws Exception {
        Rspamc.Result r = Rspamc.run("-z", "-h", controller.normalHost(), message("pills.eml"));

        assertThat(r.exitCode()).isZero();
        assertThat(r.output()).contains("Symbol: PILL_WORD (9.00)[3 times]");
    }

    @Test
    void envelopeOptionsReachTheScanner() throws Exception {
        Rspamc.Result r = Rspamc.run("-h", controller.normalHost(), "-F", "<promo@example.net>", "-r", "bob@example.test",
                "-r", "carol@example.test", "-i", "192.0.2.7", "--helo", "mx.example.net", "--hostname", "mx.example.net",
                "-d", "bob@example.test", "--header", "Queue-Id=4QxYz1", message("ham.eml"));

        assertThat(r.output()).contains("Symbol: SUSPECT_SENDER (2.00)[promo@example.net]");
        Envelope seen = controller.scanner.envelopesSeen().stream()
                .filter(e -> "192.0.2.7".equals(e.clientIp())).findFirst().orElseThrow();
        assertThat(seen.mailFrom()).isEqualTo("promo@example.net");
        assertThat(seen.rcptTo()).containsExactly("bob@example.test", "carol@example.test");
        assertThat(seen.helo()).isEqualTo("mx.example.net");
        assertThat(seen.clientHostname()).isEqualTo("mx.example.net");
        assertThat(seen.deliverTo()).isEqualTo("bob@example.test");
        assertThat(seen.queueId()).isEqualTo("4QxYz1");
    }

    @Test
    void settingsIdAndInlineSettingsReachTheScannerAsRspamcSendsThem() throws Exception {
        Rspamc.run("-h", controller.normalHost(), "-i", "192.0.2.55", "--header", "Settings-Id: outbound",
                message("ham.eml"));
        Rspamc.run("-h", controller.normalHost(), "-i", "192.0.2.56", "--header",
                "Settings={ actions { reject = 3; } BAYES_SPAM = 9; }", message("ham.eml"));

        Envelope byId = controller.scanner.envelopesSeen().stream()
                .filter(e -> "192.0.2.55".equals(e.clientIp())).findFirst().orElseThrow();
        assertThat(byId.settingsId()).isEqualTo("outbound");
        assertThat(byId.settings()).isNull();
        Envelope inline = controller.scanner.envelopesSeen().stream()
                .filter(e -> "192.0.2.56".equals(e.clientIp())).findFirst().orElseThrow();
        assertThat(inline.settings()).isEqualTo("{ actions { reject = 3; } BAYES_SPAM = 9; }");
    }

    @Test
    void mimeOutputIsTheMessageWithTheVerdictHeaders() throws Exception {
        Rspamc.Result r = Rspamc.run("--mime", "-h", controller.normalHost(), message("pills.eml"));

        assertThat(r.output())
                .contains("Subject: Cheap viagra today")
                .contains("X-Spam-Action: add header")
                .contains("X-Spam-Score: 10.00 / 15.00")
                .contains("X-Spam: yes")
                .contains("X-Spam-Symbols: ")
                .contains("Order viagra online without prescription.");
    }

    @Test
    void jsonOutputCarriesTheMilterBlockAndBayesDetails() throws Exception {
        Rspamc.Result r = Rspamc.run("-j", "-h", controller.normalHost(), message("pills.eml"));

        assertThat(r.output()).contains("\"add_headers\"").contains("\"X-Spamd-Result\"").contains("\"silent\"");
    }
}

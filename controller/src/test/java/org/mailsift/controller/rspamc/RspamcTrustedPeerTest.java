package org.mailsift.controller.rspamc;

import org.mailsift.core.config.BindSocket;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.controller.WorkerGuards;
import org.mailsift.controller.WorkerSettings;
import org.mailsift.controller.fixtures.RunningController;
import org.mailsift.controller.fixtures.Rspamc;
import org.mailsift.controller.security.AccessGuard;
import org.mailsift.controller.security.Secret;

/**
 * Dovecot IMAPSieve pipe scripts that call rspamc with no password from loopback or a unix socket: refused unless the
 * site says {@code secure_ip_writes = "learn"} (the audit changed thresholds from loopback with no password).
 */
class RspamcTrustedPeerTest {
    @TempDir
    Path dir;

    @Test
    void aLearnFromLoopbackWithoutPasswordIsRefusedByDefault() throws Exception {
        Rspamc.assumeInstalled();
        // passwords configured, 127.0.0.1 in secure_ip (the shipped default): reads yes, learning no
        try (RunningController c = RunningController.start(w -> w.withPasswords(Secret.of("read"), Secret.of("enable")))) {
            byte[] message = Files.readAllBytes(Path.of(RspamcScanTest.message("pills.eml")));

            Rspamc.Result r = Rspamc.runWithInput(message, "-h", c.controllerHost(), "learn_spam");

            assertThat(r.output()).contains("401").doesNotContain("success = true;");
            assertThat(c.learner.statistics().spamLearns()).isZero();
            assertThat(Rspamc.run("-h", c.controllerHost(), "stat").output()).contains("Messages scanned");
        }
    }

    @Test
    void imapSievePipeLearnsFromLoopbackWithoutPasswordWhenTheSiteSaysSo() throws Exception {
        Rspamc.assumeInstalled();
        try (RunningController c = RunningController.start(w -> w.withPasswords(Secret.of("read"), Secret.of("enable"))
                .withGuards(learnTrusted(w)))) {
            byte[] message = Files.readAllBytes(Path.of(RspamcScanTest.message("pills.eml")));

            Rspamc.Result r = Rspamc.runWithInput(message, "-h", c.controllerHost(), "learn_spam");

            assertThat(r.exitCode()).isZero();
            assertThat(r.output()).contains("success = true;");
            assertThat(c.learner.statistics().spamLearns()).isEqualTo(1);
        }
    }

    private static WorkerGuards learnTrusted(WorkerSettings w) {
        return w.guards().withTrustedWrites(AccessGuard.TrustedWrites.LEARN);
    }

    @Test
    void unixSocketPeersLearnWithoutPasswordWhenTheSiteSaysSo() throws Exception {
        Rspamc.assumeInstalled();
        Path socket = dir.resolve("controller.sock");
        try (RunningController c = RunningController.start(w -> w.withSecureIps(List.of())
                .withPasswords(Secret.of("read"), Secret.of("enable")).withGuards(learnTrusted(w))
                .withBinds(BindSocket.parse(socket + " mode=0660")))) {
            Rspamc.Result r = Rspamc.run("-h", socket.toString(), "learn_ham", RspamcScanTest.message("ham.eml"));

            assertThat(r.output()).contains("success = true;");
            assertThat(c.learner.statistics().hamLearns()).isEqualTo(1);
        }
    }
}

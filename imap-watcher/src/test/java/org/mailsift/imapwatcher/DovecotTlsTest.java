package org.mailsift.imapwatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mailsift.imapwatcher.WatcherFixture.config;
import static org.mailsift.imapwatcher.WatcherFixture.message;
import static org.mailsift.imapwatcher.WatcherFixture.newMessageId;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.learn.LearnClass;
import org.mailsift.imapwatcher.AccountStatus.Connection;
import org.mailsift.testsupport.DovecotExtension;
import org.mailsift.testsupport.DovecotServer;
import org.mailsift.testsupport.RawImapClient;

/** Implicit TLS against Dovecot with a private (self-signed) certificate: verified by default, trusted via trust_store. */
class DovecotTlsTest {
    @RegisterExtension
    DovecotExtension dovecot = new DovecotExtension(DovecotServer.builder().user("alice", "pw").tls());

    @TempDir
    Path tmp;

    private String tlsAccount(String host) {
        return "account \"alice\" {\n  host = \"" + host + "\"; port = " + dovecot.server().imapsPort()
                + "; tls = \"implicit\";\n  user = \"alice\"; password = \"pw\";\n}\n";
    }

    @Test
    void aPrivateCaIsTrustedThroughTheTrustStore() throws Exception {
        try (WatcherFixture fixture = new WatcherFixture(tmp, config(tlsAccount("localhost")
                + "trust_store = \"" + dovecot.server().certificate() + "\";\n"))) {
            fixture.start();
            fixture.awaitState(Connection.IDLE);
            String id = newMessageId();
            try (RawImapClient c = RawImapClient.login(dovecot.server(), "alice", "pw")) {
                c.append("Junk", message(id, "over tls"));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> fixture.learner.of(id).size() == 1);
            assertThat(fixture.learner.of(id).get(0).learnClass()).isEqualTo(LearnClass.SPAM);
        }
    }

    @Test
    void anUntrustedCertificateIsRefusedWithAClearError() throws Exception {
        try (WatcherFixture fixture = new WatcherFixture(tmp, config(tlsAccount("localhost")))) {
            fixture.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> fixture.status("alice").lastError() != null);
            assertThat(fixture.status("alice").state()).isIn(Connection.BACKOFF, Connection.CONNECTING);
            assertThat(fixture.status("alice").lastError()).containsIgnoringCase("certification path");
        }
    }

    @Test
    void theHostNameIsCheckedAgainstTheCertificate() throws Exception {
        // trusted certificate, but issued for localhost/127.0.0.1 and reached as 127.0.0.2 (the harness listens there too)
        try (WatcherFixture fixture = new WatcherFixture(tmp, config(tlsAccount("127.0.0.2")
                + "trust_store = \"" + dovecot.server().certificate() + "\";\n"))) {
            fixture.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> fixture.status("alice").lastError() != null);
            assertThat(fixture.status("alice").state()).isNotEqualTo(Connection.IDLE);
            assertThat(fixture.status("alice").lastError()).containsIgnoringCase("no subject alternative names matching IP address 127.0.0.2");
        }
    }
}

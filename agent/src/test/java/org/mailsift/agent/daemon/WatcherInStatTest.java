package org.mailsift.agent.daemon;

import org.mailsift.agent.StockConfiguration;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.agent.AgentContext;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.testsupport.DovecotExtension;
import org.mailsift.testsupport.DovecotServer;
import org.mailsift.testsupport.RawImapClient;

/**
 * `mailsift run` with the IMAP watcher and the controller: what the watcher learned for an account shows in the
 * controller's /stat (counts, last event, last error) and /metrics, though the two modules do not know each other.
 */
class WatcherInStatTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    DovecotExtension dovecot = new DovecotExtension(DovecotServer.builder().user("alice", "alice-pw"));

    @TempDir
    Path dir;

    private Path config() throws IOException {
        Path etc = StockConfiguration.copyTo(dir.resolve("etc"));
        Files.writeString(etc.resolve("override.d/worker-normal.inc"), "bind_socket = \"127.0.0.1:0\";\n");
        Files.writeString(etc.resolve("override.d/worker-controller.inc"),
                "bind_socket = \"127.0.0.1:0\";\nsecure_ip = \"127.0.0.1\";\n");
        Files.writeString(etc.resolve("local.d/imap_watcher.conf"), "enabled = true;\n"
                + "account \"alice\" { host = \"127.0.0.1\"; port = " + dovecot.server().imapPort()
                + "; tls = \"none\"; user = \"alice\"; password = \"alice-pw\"; }\n"
                + "account \"bob\" { host = \"127.0.0.1\"; port = " + dovecot.server().imapPort()
                + "; tls = \"none\"; user = \"bob\"; password = \"not-a-user\"; }\n");
        return etc;
    }

    private static String get(int port, String path) throws IOException {
        try (var in = URI.create("http://127.0.0.1:" + port + path).toURL().openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Polls until {@code done} holds (Awaitility; fails past {@code within}). */
    private static void await(Duration within, Callable<Boolean> done) {
        org.awaitility.Awaitility.await().atMost(within).pollInterval(Duration.ofMillis(50)).until(done);
    }

    interface Check {
        void run() throws Exception;
    }

    /** Repeats {@code check} until it passes; past {@code within}, fails with what it last saw. */
    private static void untilAsserted(Duration within, Check check) {
        org.awaitility.Awaitility.await().atMost(within).pollInterval(Duration.ofMillis(50)).untilAsserted(check::run);
    }

    private static JsonNode account(String stat, String name) throws IOException {
        for (JsonNode a : JSON.readTree(stat).path("imap_watcher").path("accounts")) {
            if (name.equals(a.path("account").asText())) {
                return a;
            }
        }
        return JSON.createObjectNode();
    }

    @Test
    void aMoveIntoJunkShowsInStatAndMetricsPerAccount() throws Exception {
        try (AgentContext context = new AgentContext(ConfigDirectory.open(config()), dir.resolve("db"));
             ImapWatcherService watcher = new ImapWatcherService();
             ControllerService controller = new ControllerService()) {
            controller.start(context); // started first: /stat asks for the watcher's accounts at each request
            watcher.start(context);
            int port = ((InetSocketAddress) controller.server().controllerAddresses().get(0)).getPort();
            await(Duration.ofSeconds(30), () -> "idle".equals(account(get(port, "/stat"), "alice").path("state").asText()));

            String id = "<stat-" + System.nanoTime() + "@mailsift.test>";
            try (RawImapClient c = RawImapClient.login(dovecot.server(), "alice", "alice-pw")) {
                c.append("INBOX", ("From: a@example.test\r\nTo: alice@example.test\r\nSubject: cheap watches\r\nMessage-ID: " + id
                        + "\r\n\r\nCheap watches, cheap pills, click here to claim your prize today.\r\n").getBytes(StandardCharsets.US_ASCII));
                c.select("INBOX");
                c.move(id, "Junk");
            }
            // each account is written by its own watcher thread, and a count, its last event and the metrics are
            // separate updates: wait until everything asserted holds, never for one of them only
            untilAsserted(Duration.ofSeconds(20), () -> {
                JsonNode alice = account(get(port, "/stat"), "alice");
                assertThat(alice.path("learned_spam").asLong()).isEqualTo(1);
                assertThat(alice.path("learned_ham").asLong()).isZero();
                assertThat(alice.path("filed_by_filter").asLong()).as("a user's move, not the filter's filing").isZero();
                assertThat(alice.path("last_event").asText()).contains("learned spam").contains(id);
                assertThat(alice.path("last_event_at").asText()).isNotBlank();
                JsonNode bob = account(get(port, "/stat"), "bob");
                assertThat(bob.path("state").asText()).isEqualTo("auth_failed");
                assertThat(bob.path("last_error").asText()).contains("authentication failed for bob");
                assertThat(get(port, "/metrics"))
                        .contains("mailsift_imap_watcher_learns_total{account=\"alice\",class=\"spam\",outcome=\"learned\"} 1.0")
                        .containsPattern("mailsift_imap_watcher_last_event_timestamp_seconds\\{account=\"alice\"} [1-9]")
                        .containsPattern("mailsift_imap_watcher_last_error_timestamp_seconds\\{account=\"bob\"} [1-9]")
                        .containsPattern("mailsift_imap_watcher_account_errors\\{account=\"bob\"} [1-9]");
            });
        }
    }
}

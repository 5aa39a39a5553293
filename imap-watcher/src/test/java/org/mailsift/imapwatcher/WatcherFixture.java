package org.mailsift.imapwatcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.core.metrics.Metrics;

import static org.awaitility.Awaitility.await;

/** Builds a watcher from a real configuration directory (local.d/imap_watcher.conf) and a data directory. */
final class WatcherFixture implements AutoCloseable {
    final Path configDir;
    final Path dataDir;
    final RecordingLearner learner = new RecordingLearner();
    final Metrics metrics = new Metrics();
    ImapWatcher watcher;

    WatcherFixture(Path root, String config) throws IOException {
        this.configDir = Files.createDirectories(root.resolve("etc"));
        this.dataDir = Files.createDirectories(root.resolve("data"));
        Files.createDirectories(configDir.resolve("local.d"));
        Files.writeString(configDir.resolve("local.d/imap_watcher.conf"), config);
    }

    /** Fast reconnects for tests; everything else as configured. */
    static String config(String body) {
        return "enabled = true;\nbackoff_initial = 0.1s;\nbackoff_max = 1s;\nconnect_timeout = 5s;\n" + body;
    }

    static String account(String name, int port, String user, String password) {
        return "account \"" + name + "\" {\n  host = \"127.0.0.1\"; port = " + port + "; tls = \"none\";\n  user = \"" + user
                + "\"; password = \"" + password + "\";\n}\n";
    }

    WatcherSettings settings() {
        return WatcherSettings.from(ConfigDirectory.open(configDir));
    }

    ImapWatcher start() {
        watcher = new ImapWatcher(settings(), learner, metrics, dataDir);
        watcher.start();
        return watcher;
    }

    /** Waits until every account reached {@code state}. */
    void awaitState(AccountStatus.Connection state) {
        // generous: a login on a loaded fresh machine (the suite starts many servers) can take seconds
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() ->
                !watcher.status().isEmpty() && watcher.status().stream().allMatch(a -> a.state() == state));
    }

    long movesDecided(String account) {
        return watcher.movesDecided(account);
    }

    AccountStatus.AccountSnapshot status(String account) {
        return watcher.status().stream().filter(a -> a.account().equals(account)).findFirst().orElseThrow();
    }

    void stop() throws InterruptedException {
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    static String newMessageId() {
        return "<" + UUID.randomUUID() + "@test.mailsift>";
    }

    static byte[] message(String messageId, String subject, String... extraHeaders) {
        StringBuilder sb = new StringBuilder();
        for (String h : extraHeaders) {
            sb.append(h).append("\r\n");
        }
        sb.append("From: Sender <sender@example.test>\r\nTo: user@example.test\r\nSubject: ").append(subject)
                .append("\r\nMessage-ID: ").append(messageId)
                .append("\r\nDate: Sat, 21 Nov 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n")
                .append("Hello, this is ").append(subject).append(".\r\nCheap watches and more words for the tokenizer.\r\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}

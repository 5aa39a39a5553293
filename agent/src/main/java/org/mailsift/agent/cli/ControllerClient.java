package org.mailsift.agent.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

import org.mailsift.controller.WorkerSettings;
import org.mailsift.core.config.ConfigSource;

/**
 * Talks to a running daemon's controller (worker-controller bind_socket, first TCP address) the way rspamc does, so
 * CLI learns go through the daemon that holds the store. Loopback is trusted by the controller's default secure_ip;
 * a password can be given for other setups.
 */
final class ControllerClient {
    private final URI base;
    private final String password;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ControllerClient(URI base, String password) {
        this.base = base;
        this.password = password;
    }

    /**
     * {@code --local} (never the daemon), {@code -P/--password} and {@code --password-file}, for the commands that
     * learn through the daemon (learning needs the controller's enable password, even from loopback).
     */
    static void addOptions(org.apache.commons.cli.Options o) {
        o.addOption(org.apache.commons.cli.Option.builder().longOpt("local").desc("do not try the daemon; open the store directly").get());
        o.addOption(org.apache.commons.cli.Option.builder("P").longOpt("password").hasArg().argName("PASSWORD")
                .desc("controller enable password (visible in ps: prefer --password-file or MAILSIFT_PASSWORD)").get());
        o.addOption(org.apache.commons.cli.Option.builder().longOpt("password-file").hasArg().argName("FILE")
                .desc("read the controller's enable password from the first line of FILE").get());
    }

    /** The password from --password-file, -P, or the MAILSIFT_PASSWORD environment variable; null when none. */
    static String password(org.apache.commons.cli.CommandLine line) throws java.io.IOException {
        if (line.hasOption("password-file")) {
            String text = java.nio.file.Files.readString(java.nio.file.Path.of(line.getOptionValue("password-file")),
                    java.nio.charset.StandardCharsets.UTF_8);
            int nl = text.indexOf('\n');
            return (nl < 0 ? text : text.substring(0, nl)).strip();
        }
        if (line.hasOption("password")) {
            return line.getOptionValue("password");
        }
        String env = System.getenv("MAILSIFT_PASSWORD");
        return env == null || env.isEmpty() ? null : env;
    }

    /** The controller's address from the configuration, or empty when it is disabled or on a unix socket. */
    static Optional<ControllerClient> fromConfig(ConfigSource config, String password) {
        WorkerSettings w;
        try {
            w = WorkerSettings.fromConfig(config.section("worker-controller"), WorkerSettings.controllerDefaults(), msg -> { });
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        for (org.mailsift.core.config.BindSocket b : w.binds()) {
            if (b.address() instanceof InetSocketAddress a) {
                String host = a.getAddress() == null || a.getAddress().isAnyLocalAddress() ? "127.0.0.1"
                        : a.getAddress().getHostAddress();
                if (host.contains(":")) {
                    host = "[" + host + "]";
                }
                return Optional.of(new ControllerClient(URI.create("http://" + host + ":" + a.getPort() + "/"), password));
            }
        }
        return Optional.empty();
    }

    /** A controller reply: HTTP status and body. */
    record Reply(int status, String body) {
    }

    /** POSTs an empty body to a command (e.g. "reload"); empty when nothing listens there. */
    Optional<Reply> post(String command) throws IOException, InterruptedException {
        return send(command, new byte[0], null, false);
    }

    /** Sends a request; empty when nothing listens there (no daemon running). */
    Optional<Reply> send(String command, byte[] body, String user, boolean bulk) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(command)).timeout(Duration.ofSeconds(60));
        if (password != null) {
            b.header("Password", password);
        }
        if (user != null) {
            b.header("Deliver-To", user);
        }
        if (bulk) {
            b.header("Learn-Type", "bulk");
        }
        b = body == null ? b.GET() : b.POST(HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return Optional.of(new Reply(r.statusCode(), r.body()));
        } catch (ConnectException e) {
            return Optional.empty();
        }
    }

    URI base() {
        return base;
    }
}

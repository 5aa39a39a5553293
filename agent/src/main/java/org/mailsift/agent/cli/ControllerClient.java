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

    /** {@code --local} (never the daemon) and {@code -P/--password}, for the commands that learn through the daemon. */
    static void addOptions(org.apache.commons.cli.Options o) {
        o.addOption(org.apache.commons.cli.Option.builder().longOpt("local").desc("do not try the daemon; open the store directly").get());
        o.addOption(org.apache.commons.cli.Option.builder("P").longOpt("password").hasArg().argName("PASSWORD")
                .desc("controller password, when the daemon is not on a trusted address").get());
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

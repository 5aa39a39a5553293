package org.mailsift.controller.http;

import org.mailsift.core.config.BindSocket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.net.ConnectException;
import java.net.Socket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.mailsift.controller.ControllerServer;
import org.mailsift.controller.ControllerSettings;
import org.mailsift.controller.WorkerSettings;
import org.mailsift.controller.fixtures.InMemoryLearner;
import org.mailsift.core.metrics.Metrics;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.MessageScanner;
import org.mailsift.core.scan.ScanResult;

/** SIGTERM while a client waits for its verdict: the daemon stops accepting, but the accepted request is answered. */
class GracefulStopTest {
    private static final byte[] MESSAGE = "Subject: hi\r\nMessage-ID: <slow@example.org>\r\n\r\nhello\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    /** Waits until connecting to {@code port} is refused (the server closed its listening socket). */
    static void awaitRefused(int port) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return false;
            } catch (ConnectException refused) {
                return true;
            }
        });
    }

    /** Waits until the normal worker has accepted one connection (the controller's /stat counts them). */
    static void awaitAccepted(ControllerServer server) {
        int controller = ((InetSocketAddress) server.controllerAddresses().get(0)).getPort();
        HttpRequest stat = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controller + "/stat")).build();
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> http.send(stat, HttpResponse.BodyHandlers.ofString()).body().contains("\"connections\":1"));
    }

    @Test
    void aScanRunningWhenTheServerStopsStillGetsItsAnswerWhileNewClientsAreRefused() throws Exception {
        CountDownLatch scanStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        MessageScanner slowScanner = (raw, envelope) -> {
            scanStarted.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new ScanResult(0.5, 15, Action.NO_ACTION, Map.of("reject", 15.0), List.of(), "slow@example.org",
                    null, null, List.of(), 0.001, null);
        };
        List<BindSocket> free = BindSocket.parse("127.0.0.1:0");
        ControllerSettings s = ControllerSettings.defaults();
        ControllerServer server = new ControllerServer(s.with(s.normal().withBinds(free), s.controller().withBinds(free)),
                slowScanner, new InMemoryLearner(), new Metrics()).start();
        int port = ((InetSocketAddress) server.normalAddresses().get(0)).getPort();
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest check = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/checkv2"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(MESSAGE)).build();

        CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(check, HttpResponse.BodyHandlers.ofString());
        assertThat(scanStarted.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::close);
        awaitRefused(port); // the listening socket is closed: that is what "stopping" means here

        assertThat(stopping).isNotDone();
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(check, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(ConnectException.class);
        release.countDown();
        assertThat(inFlight.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(inFlight.get().body()).contains("\"action\":\"no action\"");
        stopping.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aRequestStillArrivingWhenTheServerStopsIsReadToTheEndAndAnswered() throws Exception {
        List<BindSocket> free = BindSocket.parse("127.0.0.1:0");
        ControllerSettings s = ControllerSettings.defaults();
        MessageScanner quick = (raw, envelope) -> new ScanResult(0.5, 15, Action.NO_ACTION, Map.of("reject", 15.0),
                List.of(), "slow@example.org", null, null, List.of(), 0.001, null);
        ControllerServer server = new ControllerServer(s.with(s.normal().withBinds(free), s.controller().withBinds(free)),
                quick, new InMemoryLearner(), new Metrics()).start();
        int port = ((InetSocketAddress) server.normalAddresses().get(0)).getPort();

        try (Socket client = new Socket("127.0.0.1", port)) {
            OutputStream out = client.getOutputStream();
            out.write(("POST /checkv2 HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + MESSAGE.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(MESSAGE, 0, 10);
            out.flush();
            awaitAccepted(server); // the server has this connection
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::close);
            awaitRefused(port); // and stops: no new connection, while this one is still arriving
            out.write(MESSAGE, 10, MESSAGE.length - 10);
            out.flush();

            client.setSoTimeout(10_000);
            InputStream in = client.getInputStream();
            String reply = new String(in.readNBytes(15), StandardCharsets.US_ASCII);
            assertThat(reply).isEqualTo("HTTP/1.1 200 OK");
            stopping.get(10, TimeUnit.SECONDS);
        }
    }
}

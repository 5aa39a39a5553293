package org.mailsift.controller.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mailsift.controller.fixtures.RunningController;
import org.mailsift.controller.security.Secret;

/** `systemctl reload` after an admin rotated the controller password in local.d/worker-controller.inc. */
class AccessReloadTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private RunningController c;

    @AfterEach
    void stop() {
        if (c != null) {
            c.close();
        }
    }

    private int learnSpamWith(String password) throws Exception {
        byte[] message = Files.readAllBytes(Path.of(AccessReloadTest.class.getResource("/messages/pills.eml").toURI()));
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.controllerPort() + "/learnspam"))
                .header("Password", password).POST(HttpRequest.BodyPublishers.ofByteArray(message)).build();
        return http.send(r, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void aRotatedPasswordAppliesToTheNextRequestWithoutRestartingTheWorker() throws Exception {
        c = RunningController.withPasswords("old-read", "old-enable");
        int port = c.controllerPort();
        assertThat(learnSpamWith("old-enable")).isEqualTo(200);

        c.server.reloadAccess(c.server.settings().controller().withPasswords(Secret.of("new-read"), Secret.of("new-enable")));

        assertThat(c.controllerPort()).isEqualTo(port);
        assertThat(learnSpamWith("old-enable")).isIn(401, 403);
        assertThat(learnSpamWith("new-enable")).isIn(200, 208);
    }
}

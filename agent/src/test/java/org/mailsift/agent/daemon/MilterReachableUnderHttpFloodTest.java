package org.mailsift.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.agent.AgentContext;
import org.mailsift.agent.StockConfiguration;
import org.mailsift.core.config.ConfigDirectory;

/**
 * The audit: 20,000 slow connections exhausted file descriptors and took the milter down with HTTP. Each listener has
 * its own caps: with the scan worker and the controller full of trickling connections (bounded here to 3 x their
 * caps from 127.0.0.x), Postfix's milter connection is still answered.
 */
class MilterReachableUnderHttpFloodTest {
    @TempDir
    Path dir;

    @Test
    void theMilterAnswersWhileBothHttpWorkersAreFlooded() throws Exception {
        Path etc = StockConfiguration.copyTo(dir.resolve("etc"));
        Files.writeString(etc.resolve("override.d/worker-proxy.inc"), "bind_socket = \"127.0.0.1:0\";\nmilter = yes;\n");
        Files.writeString(etc.resolve("override.d/worker-normal.inc"),
                "bind_socket = \"127.0.0.1:0\";\nmax_connections = 40;\nmax_connections_per_ip = 20;\n");
        Files.writeString(etc.resolve("override.d/worker-controller.inc"),
                "bind_socket = \"127.0.0.1:0\";\nsecure_ip = \"127.0.0.1\";\nmax_connections = 20;\nmax_connections_per_ip = 10;\n");
        List<Socket> flood = new ArrayList<>();
        try (AgentContext context = new AgentContext(ConfigDirectory.open(etc), dir.resolve("db"));
             ControllerService http = new ControllerService();
             MilterService milter = new MilterService()) {
            http.start(context);
            milter.start(context);
            int normal = ((InetSocketAddress) http.server().normalAddresses().get(0)).getPort();
            int controller = ((InetSocketAddress) http.server().controllerAddresses().get(0)).getPort();
            InetSocketAddress milterAddress = (InetSocketAddress) milter.server().boundAddresses().get(0);

            int refused = 0;
            for (int port : new int[] {normal, controller}) {
                for (int i = 0; i < 120; i++) {
                    Socket s = new Socket();
                    flood.add(s);
                    s.bind(new InetSocketAddress("127.0.0." + (1 + i % 6), 0));
                    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                    s.getOutputStream().write("POST /checkv2 HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII)); // and then trickle
                }
            }
            for (Socket s : flood) {
                s.setSoTimeout(3000);
                try {
                    if (s.getInputStream().read() < 0) {
                        refused++;
                    }
                } catch (java.net.SocketTimeoutException held) {
                    // admitted and waiting for the rest of its headers
                } catch (IOException reset) {
                    refused++;
                }
            }
            assertThat(refused).as("connections over the HTTP caps closed at accept").isGreaterThanOrEqualTo(240 - 40 - 20);

            try (Socket mta = new Socket()) {
                mta.connect(milterAddress, 5000);
                mta.setSoTimeout(5000);
                ByteBuffer optneg = ByteBuffer.allocate(17).putInt(13).put((byte) 'O').putInt(6).putInt(0x1ff).putInt(0x1fffff);
                mta.getOutputStream().write(optneg.array());
                DataInputStream in = new DataInputStream(mta.getInputStream());
                int length = in.readInt();
                assertThat(length).isEqualTo(13);
                assertThat((char) in.readByte()).isEqualTo('O');
                assertThat(in.readInt()).as("milter protocol version").isEqualTo(6);
            }
        } finally {
            for (Socket s : flood) {
                s.close();
            }
        }
    }
}

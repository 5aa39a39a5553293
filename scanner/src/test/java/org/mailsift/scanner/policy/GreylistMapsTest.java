package org.mailsift.scanner.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mailsift.scanner.TestConfig.obj;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.scan.Action;
import org.mailsift.scanner.ScanEngine;
import org.mailsift.scanner.TestConfig;
import org.mailsift.scanner.maps.MapHttpServer;

/** greylist.conf's whitelists as maps: a file edited and an HTTP map republished are followed without a restart. */
class GreylistMapsTest {
    private static final byte[] OFFER = PolicyScans.message("""
            From: Offers <offers@sender.test>
            To: alice@example.test
            Subject: Cheap watches
            Message-ID: <offer-1@sender.test>
            """, "Buy now, cheap watches for everyone.\n");
    private static final Envelope FRIEND = Envelope.builder().clientIp("192.0.2.10").clientHostname("mx1.friend.example")
            .mailFrom("offers@sender.test").addRcpt("alice@example.test").build();

    @RegisterExtension
    final OpenPolicyStores stores = new OpenPolicyStores();
    @TempDir
    Path dir;
    private ScanEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private ScanEngine engine(Object... greylistOptions) {
        engine = PolicyScans.engine(new TestConfig()
                .with("options", obj("map_watch_interval", 0.05))
                .with("actions", obj("greylist", -100, "add_header", 100, "reject", 200))
                .with("greylist", obj(greylistOptions)), stores.get());
        return engine;
    }

    private static void replace(Path file, String text) throws Exception {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void whitelistedIpFileEditedWhileRunningIsFollowed() throws Exception {
        Path nets = dir.resolve("greylist_whitelist.map");
        Files.writeString(nets, "203.0.113.0/24 # a partner\n");
        ScanEngine engine = engine("whitelisted_ip", nets.toString());
        assertThat(engine.scan(OFFER, FRIEND).action()).isEqualTo(Action.SOFT_REJECT);

        replace(nets, "203.0.113.0/24\n192.0.2.0/24\n");
        await().atMost(Duration.ofSeconds(60)).until(() -> engine.scan(OFFER, FRIEND).action() == Action.NO_ACTION);
    }

    @Test
    void whitelistDomainsServedOverHttpAreFetchedAndFollowed() throws Exception {
        try (MapHttpServer server = new MapHttpServer("other.example\n")) {
            ScanEngine engine = engine("whitelist_domains_url", server.url("/greylist-whitelist-domains.inc"));
            await().atMost(Duration.ofSeconds(60)).until(() -> server.fullReplies() == 1);
            assertThat(engine.scan(OFFER, FRIEND).action()).isEqualTo(Action.SOFT_REJECT);

            server.publish("other.example\nmx1.friend.example\n");
            await().atMost(Duration.ofSeconds(60)).until(() -> engine.scan(OFFER, FRIEND).action() != Action.SOFT_REJECT);
            assertThat(PolicyScans.symbol(engine.scan(OFFER, FRIEND), "GREYLIST").options()).containsExactly("pass", "meta");
        }
    }
}

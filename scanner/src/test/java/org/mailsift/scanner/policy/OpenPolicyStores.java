package org.mailsift.scanner.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fresh policy stores in a temporary data directory for each test, on a clock the test moves:
 * {@code @RegisterExtension OpenPolicyStores stores = new OpenPolicyStores();}.
 */
public final class OpenPolicyStores implements BeforeEachCallback, AfterEachCallback {
    public final SettableClock clock = new SettableClock(Instant.parse("2026-12-03T12:00:00Z"));
    private Path data;
    private PolicyStores stores;

    public PolicyStores get() {
        return stores;
    }

    /** Closes the stores and opens them again on the same files, as a daemon restart does. */
    public PolicyStores restart() {
        stores.close();
        stores = new PolicyStores(data, clock);
        return stores;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        data = Files.createTempDirectory("mailsift-policy-");
        stores = new PolicyStores(data, clock);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        stores.close();
        try (Stream<Path> files = Files.walk(data)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

package org.mailsift.testsupport;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 wrapper around {@link DovecotServer}. On a static {@code @RegisterExtension} field one server serves the
 * whole class; on an instance field each test gets a fresh one. Tests are skipped (not failed) when Dovecot is not
 * installed or we are not root.
 *
 * <pre>
 * &#64;RegisterExtension
 * static DovecotExtension dovecot = new DovecotExtension(DovecotServer.builder().user("alice", "pw"));
 * ... dovecot.server().imapPort() ...
 * </pre>
 */
public final class DovecotExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private final DovecotServer.Builder builder;
    private DovecotServer server;
    private boolean perClass;

    public DovecotExtension(DovecotServer.Builder builder) {
        this.builder = builder;
    }

    public DovecotServer server() {
        if (server == null) {
            throw new IllegalStateException("Dovecot is not running (outside a test, or skipped)");
        }
        return server;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Assumptions.assumeTrue(DovecotServer.available(), "Dovecot not installed (/usr/sbin/dovecot) or not root");
        perClass = true;
        server = builder.start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Assumptions.assumeTrue(DovecotServer.available(), "Dovecot not installed (/usr/sbin/dovecot) or not root");
        if (server == null) {
            server = builder.start();
        } else if (!server.running()) {
            server.restart(); // a previous test stopped it on purpose
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass && server != null) {
            server.close();
            server = null;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}

package org.mailsift.imapwatcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Properties;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;

import org.eclipse.angus.mail.imap.IMAPStore;

/**
 * Builds jakarta.mail sessions and connects IMAP stores. Certificates and host names are always verified; a
 * {@code trust_store} (PEM bundle, PKCS12 or JKS) replaces the JDK's CAs for servers with a private CA.
 */
public final class ImapSessions {
    private final SSLSocketFactory socketFactory;
    private final Duration connectTimeout;
    private final Duration readTimeout;

    public ImapSessions(WatcherSettings settings) {
        this.socketFactory = settings.trustStore() == null ? null : socketFactory(settings.trustStore(), settings.trustStorePassword());
        this.connectTimeout = settings.connectTimeout();
        // Dovecot says "* OK Still here" every 2 minutes in IDLE and we send NOOP every idle_refresh; a read that
        // waits longer than that means a dead peer (e.g. a NAT dropped the connection silently)
        this.readTimeout = settings.idleRefresh().plusMinutes(3);
    }

    public IMAPStore connect(AccountSettings a) throws MessagingException {
        Session session = Session.getInstance(properties(a));
        IMAPStore store = (IMAPStore) session.getStore(a.tls() == Tls.IMPLICIT ? "imaps" : "imap");
        store.connect(a.host(), a.port(), a.loginUser(), a.password());
        return store;
    }

    Properties properties(AccountSettings a) {
        String p = a.tls() == Tls.IMPLICIT ? "imaps" : "imap";
        Properties props = new Properties();
        props.put("mail." + p + ".host", a.host());
        props.put("mail." + p + ".port", Integer.toString(a.port()));
        props.put("mail." + p + ".connectiontimeout", Long.toString(connectTimeout.toMillis()));
        props.put("mail." + p + ".timeout", Long.toString(readTimeout.toMillis()));
        // never mark mail \Seen while reading it, and fetch a message in one FETCH instead of 16 KB slices
        props.put("mail." + p + ".peek", "true");
        props.put("mail." + p + ".partialfetch", "false");
        props.put("mail." + p + ".connectionpoolsize", "2");
        if (a.tls() != Tls.NONE) {
            props.put("mail." + p + ".ssl.checkserveridentity", "true");
            if (socketFactory != null) {
                props.put("mail." + p + ".ssl.socketFactory", socketFactory);
                // no silent retry with the JDK's default factory: its error would hide the real one (e.g. a host name mismatch)
                props.put("mail." + p + ".socketFactory.fallback", "false");
                props.put("mail." + p + ".ssl.socketFactory.fallback", "false");
            }
        }
        if (a.tls() == Tls.STARTTLS) {
            props.put("mail.imap.starttls.enable", "true");
            props.put("mail.imap.starttls.required", "true");
        }
        return props;
    }

    static SSLSocketFactory socketFactory(Path trustStore, String password) {
        try {
            KeyStore ks = loadTrustStore(trustStore, password);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot load trust_store " + trustStore + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore loadTrustStore(Path file, String password) throws IOException, GeneralSecurityException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(64);
        }
        if (new String(head, java.nio.charset.StandardCharsets.US_ASCII).contains("-----BEGIN")) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            try (InputStream in = Files.newInputStream(file)) {
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    ks.setCertificateEntry("ca-" + i++, c);
                }
            }
            if (i == 0) {
                throw new GeneralSecurityException("no certificate in " + file);
            }
            return ks;
        }
        return KeyStore.getInstance(file.toFile(), password.toCharArray());
    }
}

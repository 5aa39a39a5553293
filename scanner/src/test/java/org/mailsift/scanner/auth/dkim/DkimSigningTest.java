package org.mailsift.scanner.auth.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.message.Envelope;
import org.mailsift.scanner.TestConfig;
import org.mailsift.scanner.auth.MapAuthDns;
import org.mailsift.scanner.auth.RawMessage;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * dkim_signing.conf's options, as a site sets them in local.d: who is signed (sign_authenticated / sign_local /
 * sign_inbound), as which domain (use_domain, use_esld, domain { }, try_fallback), which mismatches stop signing,
 * the h= list with Rspamd's over-signing, x= from expire, and a missing key (logged once, message unsigned).
 */
class DkimSigningTest {
    static final String MESSAGE = "From: Alice <alice@mail.example.com>\r\nTo: Bob <bob@example.net>\r\n"
            + "Subject: Plans\r\nDate: Thu, 03 Dec 2026 10:00:00 +0000\r\nMessage-ID: <plans-1@example.com>\r\n\r\n"
            + "See you on Thursday.\r\n";
    static final Envelope SUBMITTED = Envelope.builder().clientIp("203.0.113.50").helo("laptop")
            .mailFrom("alice@mail.example.com").addRcpt("bob@example.net").authUser("alice@example.com").build();
    static final Envelope FROM_OUTSIDE = Envelope.builder().clientIp("198.51.100.9").helo("mx.example.org")
            .mailFrom("carol@example.org").addRcpt("alice@example.com").build();
    static KeyPair key;

    @TempDir
    Path dir;
    final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    final Logger log = (Logger) LoggerFactory.getLogger(DkimSigning.class);

    @BeforeAll
    static void keys() throws Exception {
        key = DkimKeyFiles.generate("rsa", 1024);
    }

    @BeforeEach
    void captureLogs() {
        logs.start();
        log.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        log.detachAppender(logs);
    }

    /** dkim_signing.conf: keys under dir as $domain.$selector.key, plus the options given. */
    DkimSigning signing(Object... options) {
        Object[] kv = Arrays.copyOf(new Object[] {"path", dir.resolve("$domain.$selector.key").toString()}, 2 + options.length);
        System.arraycopy(options, 0, kv, 2, options.length);
        return new DkimSigning(DkimSigningSettings.from(new TestConfig().with("dkim_signing", TestConfig.obj(kv)), "dkim_signing"));
    }

    void keyFor(String domain, String selector) throws Exception {
        DkimKeyFiles.write(dir.resolve(domain + "." + selector + ".key"), key.getPrivate());
    }

    static RawMessage parse(String message) {
        return RawMessage.parse(message.getBytes(StandardCharsets.ISO_8859_1));
    }

    static String tag(String signature, String name) {
        for (String t : signature.replaceAll("\\s+", "").split(";")) {
            if (t.startsWith(name + "=")) {
                return t.substring(name.length() + 1);
            }
        }
        return null;
    }

    @Test
    void anAuthenticatedUsersMailIsSignedAsTheOrganizationalDomainOfFromAndVerifies() throws Exception {
        keyFor("example.com", "dkim");
        DkimSigning s = signing();
        DkimSigning.Signer signer = s.signerFor(parse(MESSAGE), SUBMITTED, false);
        assertThat(signer).isNotNull();
        assertThat(signer.domain()).as("use_esld: mail.example.com signs as example.com").isEqualTo("example.com");
        assertThat(signer.selector()).isEqualTo("dkim");
        String value = s.sign(parse(MESSAGE), signer, 1_796_300_000L);
        String signed = "DKIM-Signature: " + value + "\r\n" + MESSAGE;
        MapAuthDns dns = new MapAuthDns().txt("dkim._domainkey.example.com", DkimKeyFiles.txtValue(key.getPublic()));
        assertThat(DkimVerifier.verify(new HeaderHashInput(parse(signed)), dns, 1_796_300_100L).join())
                .extracting(DkimResult::status).containsExactly(DkimResult.Status.PASS);
        assertThat(tag(value, "x")).as("no expire: no x=").isNull();
    }

    @Test
    void withoutUseEsldTheFromDomainItselfSigns() throws Exception {
        keyFor("mail.example.com", "dkim");
        DkimSigning.Signer signer = signing("use_esld", false, "allow_username_mismatch", true)
                .signerFor(parse(MESSAGE), SUBMITTED, false);
        assertThat(signer).isNotNull();
        assertThat(signer.domain()).isEqualTo("mail.example.com");
    }

    @Test
    void useDomainPicksEnvelopeLoginOrRecipient() throws Exception {
        for (String d : List.of("example.com", "example.org", "example.net")) {
            keyFor(d, "dkim");
        }
        Envelope env = Envelope.builder().clientIp("203.0.113.50").mailFrom("alice@example.com")
                .addRcpt("bob@example.net").authUser("alice@example.org").build();
        RawMessage m = parse(MESSAGE);
        assertThat(signing("use_domain", "envelope", "allow_username_mismatch", true).signerFor(m, env, false).domain())
                .isEqualTo("example.com");
        assertThat(signing("use_domain", "auth").signerFor(m, env, false).domain()).isEqualTo("example.org");
        assertThat(signing("use_domain", "recipient", "allow_username_mismatch", true).signerFor(m, env, false).domain())
                .isEqualTo("example.net");
    }

    @Test
    void onlyAuthenticatedAndLocalMailIsSignedUnlessSignInbound() throws Exception {
        keyFor("example.org", "dkim");
        String fromOutside = MESSAGE.replace("alice@mail.example.com", "carol@example.org");
        Envelope local = Envelope.builder().clientIp("127.0.0.1").mailFrom("carol@example.org").build();
        assertThat(signing().signerFor(parse(fromOutside), FROM_OUTSIDE, false)).as("inbound").isNull();
        assertThat(signing("sign_inbound", true).signerFor(parse(fromOutside), FROM_OUTSIDE, false)).isNotNull();
        assertThat(signing().signerFor(parse(fromOutside), local, true)).as("sign_local").isNotNull();
        assertThat(signing("sign_local", false).signerFor(parse(fromOutside), local, true)).isNull();
        keyFor("example.com", "dkim");
        assertThat(signing("sign_authenticated", false).signerFor(parse(MESSAGE), SUBMITTED, false)).isNull();
        assertThat(signing("enabled", false).signerFor(parse(MESSAGE), SUBMITTED, false)).isNull();
    }

    @Test
    void mismatchedSendersAndSeveralFromHeadersAreNotSigned() throws Exception {
        keyFor("example.com", "dkim");
        Envelope otherEnvelope = Envelope.builder().clientIp("203.0.113.50").mailFrom("bounce@lists.example.org")
                .addRcpt("bob@example.net").authUser("alice@example.com").build();
        assertThat(signing().signerFor(parse(MESSAGE), otherEnvelope, false)).as("allow_hdrfrom_mismatch = false").isNull();
        assertThat(signing("allow_hdrfrom_mismatch", true).signerFor(parse(MESSAGE), otherEnvelope, false)).isNotNull();

        Envelope otherLogin = Envelope.builder().clientIp("203.0.113.50").mailFrom("alice@mail.example.com")
                .authUser("mallory@evil.example").build();
        assertThat(signing().signerFor(parse(MESSAGE), otherLogin, false)).as("allow_username_mismatch = false").isNull();
        assertThat(signing("allow_username_mismatch", true).signerFor(parse(MESSAGE), otherLogin, false)).isNotNull();
        Envelope bareLogin = Envelope.builder().clientIp("203.0.113.50").mailFrom("alice@mail.example.com")
                .authUser("alice").build();
        assertThat(signing().signerFor(parse(MESSAGE), bareLogin, false)).as("a login without a domain").isNull();

        String twoFroms = "From: Mallory <mallory@evil.example>\r\n" + MESSAGE;
        assertThat(signing().signerFor(parse(twoFroms), SUBMITTED, false)).as("allow_hdrfrom_multiple = false").isNull();
    }

    @Test
    void aDomainEntryChoosesSelectorAndKeyAndWithoutFallbackOtherDomainsAreUnsigned() throws Exception {
        Path special = dir.resolve("special.pem");
        DkimKeyFiles.write(special, key.getPrivate());
        keyFor("example.org", "dkim");
        DkimSigning s = signing("domain", TestConfig.obj("example.com", TestConfig.obj("selector", "s2024", "path", special.toString())));
        DkimSigning.Signer signer = s.signerFor(parse(MESSAGE), SUBMITTED, false);
        assertThat(signer.selector()).isEqualTo("s2024");
        assertThat(tag(s.sign(parse(MESSAGE), signer, 1_796_300_000L), "s")).isEqualTo("s2024");

        Envelope org = Envelope.builder().clientIp("203.0.113.50").mailFrom("carol@example.org").authUser("carol@example.org").build();
        String fromOrg = MESSAGE.replace("alice@mail.example.com", "carol@example.org");
        assertThat(s.signerFor(parse(fromOrg), org, false)).as("try_fallback = true: path and selector above").isNotNull();
        DkimSigning noFallback = signing("try_fallback", false,
                "domain", TestConfig.obj("example.com", TestConfig.obj("selector", "s2024", "path", special.toString())));
        assertThat(noFallback.signerFor(parse(fromOrg), org, false)).isNull();
        assertThat(noFallback.signerFor(parse(MESSAGE), SUBMITTED, false)).isNotNull();
    }

    @Test
    void headersAreOverSignedAsRspamdDoesAndExpireSetsX() throws Exception {
        keyFor("example.com", "dkim");
        DkimSigning s = signing("expire", 7 * 86_400.0);   // what the parser makes of "expire = 7d;"
        String value = s.sign(parse(MESSAGE), s.signerFor(parse(MESSAGE), SUBMITTED, false), 1_796_300_000L);
        // (o) from, reply-to, subject, to, cc: every instance plus one; (x) date, message-id: only when present
        assertThat(tag(value, "h")).isEqualTo("from:from:reply-to:subject:subject:date:date:message-id:message-id:to:to:cc");
        assertThat(tag(value, "x")).isEqualTo(String.valueOf(1_796_300_000L + 7 * 86_400));
        assertThat(tag(value, "c")).isEqualTo("relaxed/relaxed");

        String added = "From: Mallory <mallory@evil.example>\r\n" + "DKIM-Signature: " + value + "\r\n" + MESSAGE;
        MapAuthDns dns = new MapAuthDns().txt("dkim._domainkey.example.com", DkimKeyFiles.txtValue(key.getPublic()));
        assertThat(DkimVerifier.verify(new HeaderHashInput(parse(added)), dns, 1_796_300_100L).join())
                .as("an added From breaks the over-signed signature").extracting(DkimResult::status)
                .doesNotContain(DkimResult.Status.PASS);
        assertThat(DkimVerifier.verify(new HeaderHashInput(parse("DKIM-Signature: " + value + "\r\n" + MESSAGE)), dns,
                1_796_300_000L + 8 * 86_400).join()).as("after x=").extracting(DkimResult::status)
                .doesNotContain(DkimResult.Status.PASS);

        DkimSigning custom = signing("sign_headers", "from:(o)subject:x-mailer");
        String h = tag(custom.sign(parse(MESSAGE), custom.signerFor(parse(MESSAGE), SUBMITTED, false), 1_796_300_000L), "h");
        assertThat(h).isEqualTo("from:subject:subject");
    }

    @Test
    void arcSealsWhatArrivesFromOutsideAsTheRecipientsDomainButNotTheSitesOwnMail() throws Exception {
        keyFor("example.com", "arc");
        keyFor("example.net", "arc");
        DkimSigning arc = new DkimSigning(DkimSigningSettings.from(new TestConfig().with("arc",
                TestConfig.obj("path", dir.resolve("$domain.$selector.key").toString())), "arc"));
        String fromOutside = MESSAGE.replace("alice@mail.example.com", "carol@example.org");
        DkimSigning.Signer sealer = arc.signerFor(parse(fromOutside), FROM_OUTSIDE, false);
        assertThat(sealer).isNotNull();
        assertThat(sealer.domain()).as("use_domain = recipient").isEqualTo("example.com");
        assertThat(sealer.selector()).isEqualTo("arc");
        assertThat(arc.signerFor(parse(MESSAGE), SUBMITTED, false)).as("sign_authenticated = false").isNull();
        Envelope local = Envelope.builder().clientIp("127.0.0.1").mailFrom("carol@example.org").addRcpt("bob@example.net").build();
        assertThat(arc.signerFor(parse(fromOutside), local, true)).as("sign_local = false").isNull();
        assertThat(new DkimSigning(DkimSigningSettings.from(new TestConfig().with("arc", TestConfig.obj()), "arc"))
                .signerFor(parse(fromOutside), FROM_OUTSIDE, false)).as("no path: no sealing").isNull();
    }

    @Test
    void aMissingSealingKeyIsLoggedAsAnArcKeyNotADkimKey() throws Exception {
        DkimSigning arc = new DkimSigning(DkimSigningSettings.from(new TestConfig().with("arc",
                TestConfig.obj("path", dir.resolve("$domain.$selector.key").toString())), "arc"), "ARC sealing");
        String fromOutside = MESSAGE.replace("alice@mail.example.com", "carol@example.org");
        assertThat(arc.signerFor(parse(fromOutside), FROM_OUTSIDE, false)).isNull();
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage).singleElement()
                .satisfies(m -> assertThat(m).contains("ARC sealing key", "example.com.arc.key", "without an ARC seal")
                        .doesNotContain("DKIM"));
    }

    @Test
    void aMissingKeyIsLoggedOncePerKeyAndTheMailGoesOutUnsigned() throws Exception {
        DkimSigning s = signing();
        for (int i = 0; i < 3; i++) {
            assertThat(s.signerFor(parse(MESSAGE), SUBMITTED, false)).isNull();
        }
        String fromOrg = MESSAGE.replace("alice@mail.example.com", "carol@example.org");
        Envelope org = Envelope.builder().clientIp("203.0.113.50").mailFrom("carol@example.org").authUser("carol@example.org").build();
        assertThat(s.signerFor(parse(fromOrg), org, false)).isNull();
        assertThat(s.signerFor(parse(fromOrg), org, false)).isNull();
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage).hasSize(2)
                .anySatisfy(m -> assertThat(m).contains("DKIM signing key", "example.com.dkim.key", "no such file",
                        "without a DKIM signature"))
                .anySatisfy(m -> assertThat(m).contains("example.org.dkim.key"));

        keyFor("example.com", "dkim");
        assertThat(s.signerFor(parse(MESSAGE), SUBMITTED, false)).as("the key appears: signing starts").isNotNull();
        java.nio.file.Files.writeString(dir.resolve("example.org.dkim.key"), "not a key\n");
        assertThat(s.signerFor(parse(fromOrg), org, false)).isNull();
        assertThat(s.signerFor(parse(fromOrg), org, false)).isNull();
        assertThat(logs.list).hasSize(3);
        assertThat(logs.list.get(2).getFormattedMessage()).contains("example.org.dkim.key");
    }
}

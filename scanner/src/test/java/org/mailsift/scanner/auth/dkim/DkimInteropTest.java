package org.mailsift.scanner.auth.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.scanner.auth.DkimPy;
import org.mailsift.scanner.auth.MapAuthDns;
import org.mailsift.scanner.auth.RawMessage;

/** mailsift's DKIM against Debian's python3-dkim: each signs, the other verifies; tampered copies fail as they should. */
class DkimInteropTest {
    static final String MESSAGE = "From: Alice <alice@example.com>\r\nTo: bob@example.net\r\nSubject: Lunch  on\r\n"
            + "\tFriday\r\nDate: Thu, 03 Dec 2026 10:00:00 +0000\r\nMessage-ID: <lunch-1@example.com>\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            + "Shall we meet at noon?  \r\n\r\nAlice\r\n\r\n\r\n";
    static KeyPair rsa;
    static KeyPair ed;
    static final long NOW = System.currentTimeMillis() / 1000;

    @TempDir
    Path dir;
    DkimPy py;

    @BeforeAll
    static void keys() throws Exception {
        rsa = DkimKeyFiles.generate("rsa", 2048);
        ed = DkimKeyFiles.generate("ed25519", 0);
    }

    @BeforeEach
    void setUp() {
        DkimPy.assumeInstalled();
        py = new DkimPy(dir);
    }

    private Path rsaKeyFile() throws Exception {
        Path k = dir.resolve("rsa.key");
        DkimKeyFiles.write(k, rsa.getPrivate());
        return k;
    }

    private Path edSeedFile() throws Exception {
        // dkimpy reads an ed25519 private key as the base64 32-byte seed (what its dknewkey writes)
        byte[] pkcs8 = ed.getPrivate().getEncoded();
        byte[] seed = java.util.Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length);
        Path k = dir.resolve("ed.key");
        Files.writeString(k, Base64.getEncoder().encodeToString(seed));
        return k;
    }

    private static MapAuthDns dns() {
        return new MapAuthDns().txt("rsa._domainkey.example.com", DkimKeyFiles.txtValue(rsa.getPublic()))
                .txt("ed._domainkey.example.com", DkimKeyFiles.txtValue(ed.getPublic()));
    }

    private Path zone() throws Exception {
        return py.zone(Map.of("rsa._domainkey.example.com", DkimKeyFiles.txtValue(rsa.getPublic()),
                "ed._domainkey.example.com", DkimKeyFiles.txtValue(ed.getPublic())));
    }

    static List<DkimResult> verify(byte[] msg, MapAuthDns dns) {
        return DkimVerifier.verify(new HeaderHashInput(RawMessage.parse(msg)), dns, NOW).join();
    }

    static byte[] mailsiftSigned(String message, KeyPair key, String selector, Canonicalization hc, Canonicalization bc,
                                 long now, long expire) throws Exception {
        byte[] raw = message.getBytes(StandardCharsets.ISO_8859_1);
        String value = DkimSigner.sign(new HeaderHashInput(RawMessage.parse(raw)), "example.com", selector,
                key.getPrivate(), SignedHeaders.parse(SignedHeaders.RSPAMD_DEFAULT), hc, bc, now, expire);
        return ("DKIM-Signature: " + value + "\r\n" + message).getBytes(StandardCharsets.ISO_8859_1);
    }

    private byte[] dkimpySigned(String message, String keyFile, String selector, String canon, String alg, boolean length)
            throws Exception {
        return py.run(message.getBytes(StandardCharsets.ISO_8859_1), "sign", keyFile, "example.com", selector, canon,
                "from:to:subject:date:message-id", alg, length ? "yes" : "no");
    }

    @Test
    void mailsiftSignaturesVerifyWithDkimpy() throws Exception {
        Path zone = zone();
        for (Canonicalization hc : Canonicalization.values()) {
            for (Canonicalization bc : Canonicalization.values()) {
                byte[] signed = mailsiftSigned(MESSAGE, rsa, "rsa", hc, bc, NOW, 0);
                assertThat(new String(py.run(signed, "verify", zone.toString())).strip()).as(hc + "/" + bc).isEqualTo("pass");
                assertThat(verify(signed, dns())).extracting(DkimResult::status).containsExactly(DkimResult.Status.PASS);
            }
        }
        byte[] edSigned = mailsiftSigned(MESSAGE, ed, "ed", Canonicalization.RELAXED, Canonicalization.RELAXED, NOW, 0);
        assertThat(new String(py.run(edSigned, "verify", zone.toString())).strip()).isEqualTo("pass");
    }

    @Test
    void dkimpySignaturesVerifyWithMailsift() throws Exception {
        String key = rsaKeyFile().toString();
        for (String canon : List.of("relaxed/simple", "simple/simple", "relaxed/relaxed", "simple/relaxed")) {
            byte[] signed = dkimpySigned(MESSAGE, key, "rsa", canon, "rsa-sha256", false);
            assertThat(verify(signed, dns())).as(canon).extracting(DkimResult::status).containsExactly(DkimResult.Status.PASS);
        }
        byte[] sha1 = dkimpySigned(MESSAGE, key, "rsa", "relaxed/relaxed", "rsa-sha1", false);
        assertThat(verify(sha1, dns())).extracting(DkimResult::status).containsExactly(DkimResult.Status.PASS);
        byte[] edSigned = dkimpySigned(MESSAGE, edSeedFile().toString(), "ed", "relaxed/relaxed", "ed25519-sha256", false);
        assertThat(verify(edSigned, dns())).extracting(DkimResult::status).containsExactly(DkimResult.Status.PASS);
    }

    @Test
    void aMessageWithLfLineEndingsVerifiesAsWithCrlf() throws Exception {
        byte[] signed = dkimpySigned(MESSAGE, rsaKeyFile().toString(), "rsa", "simple/simple", "rsa-sha256", false);
        byte[] lf = new String(signed, StandardCharsets.ISO_8859_1).replace("\r\n", "\n").getBytes(StandardCharsets.ISO_8859_1);
        assertThat(verify(lf, dns())).extracting(DkimResult::status).containsExactly(DkimResult.Status.PASS);
    }

    @Test
    void aChangedBodyIsRejected() throws Exception {
        String signed = new String(dkimpySigned(MESSAGE, rsaKeyFile().toString(), "rsa", "relaxed/relaxed", "rsa-sha256", false),
                StandardCharsets.ISO_8859_1);
        byte[] tampered = signed.replace("at noon", "at one").getBytes(StandardCharsets.ISO_8859_1);
        List<DkimResult> r = verify(tampered, dns());
        assertThat(r).extracting(DkimResult::status).containsExactly(DkimResult.Status.REJECT);
        assertThat(r.get(0).reason()).contains("body hash");
    }

    @Test
    void aChangedSignedHeaderIsRejected() throws Exception {
        String signed = new String(dkimpySigned(MESSAGE, rsaKeyFile().toString(), "rsa", "relaxed/relaxed", "rsa-sha256", false),
                StandardCharsets.ISO_8859_1);
        byte[] tampered = signed.replace("Subject: Lunch", "Subject: Dinner").getBytes(StandardCharsets.ISO_8859_1);
        assertThat(verify(tampered, dns())).extracting(DkimResult::status).containsExactly(DkimResult.Status.REJECT);
    }

    @Test
    void aRevokedKeyIsAPermanentFailure() throws Exception {
        byte[] signed = dkimpySigned(MESSAGE, rsaKeyFile().toString(), "rsa", "relaxed/relaxed", "rsa-sha256", false);
        List<DkimResult> r = verify(signed, new MapAuthDns().txt("rsa._domainkey.example.com", "v=DKIM1; k=rsa; p="));
        assertThat(r).extracting(DkimResult::status).containsExactly(DkimResult.Status.PERMFAIL);
        assertThat(r.get(0).reason()).contains("revoked");
    }

    @Test
    void aSelectorWithoutKeyIsAPermanentFailureAndALookupFailureTemporary() throws Exception {
        byte[] signed = dkimpySigned(MESSAGE, rsaKeyFile().toString(), "rsa", "relaxed/relaxed", "rsa-sha256", false);
        assertThat(verify(signed, new MapAuthDns().txt("other._domainkey.example.com", DkimKeyFiles.txtValue(rsa.getPublic()))))
                .extracting(DkimResult::status).containsExactly(DkimResult.Status.PERMFAIL);
        assertThat(verify(signed, new MapAuthDns().fail("rsa._domainkey.example.com")))
                .extracting(DkimResult::status).containsExactly(DkimResult.Status.TEMPFAIL);
    }

    @Test
    void anExpiredSignatureIsAPermanentFailure() throws Exception {
        byte[] signed = mailsiftSigned(MESSAGE, rsa, "rsa", Canonicalization.RELAXED, Canonicalization.RELAXED,
                NOW - 7200, 3600);
        List<DkimResult> r = verify(signed, dns());
        assertThat(r).extracting(DkimResult::status).containsExactly(DkimResult.Status.PERMFAIL);
        assertThat(r.get(0).reason()).contains("expired");
        // (dkimpy's verify does not look at x=, so there is no second opinion here)
    }

    @Test
    void contentAppendedAfterTheSignedLengthIsNotVouchedFor() throws Exception {
        String signed = new String(dkimpySigned(MESSAGE, rsaKeyFile().toString(), "rsa", "relaxed/relaxed", "rsa-sha256", true),
                StandardCharsets.ISO_8859_1);
        assertThat(signed).contains("l=");
        assertThat(verify(signed.getBytes(StandardCharsets.ISO_8859_1), dns())).extracting(DkimResult::status)
                .containsExactly(DkimResult.Status.PASS);
        byte[] appended = (signed + "Click https://evil.example/ now\r\n").getBytes(StandardCharsets.ISO_8859_1);
        List<DkimResult> r = verify(appended, dns());
        assertThat(r).extracting(DkimResult::status).containsExactly(DkimResult.Status.PERMFAIL);
        assertThat(r.get(0).reason()).contains("l=");
    }
}

package org.mailsift.scanner.auth.arc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.scanner.auth.DkimPy;
import org.mailsift.scanner.auth.MapAuthDns;
import org.mailsift.scanner.auth.RawMessage;
import org.mailsift.scanner.auth.dkim.DkimKeyFiles;
import org.mailsift.scanner.auth.dkim.HeaderHashInput;

/** ARC chains sealed by Debian's python3-dkim (dkim.arc_sign), verified by mailsift; broken chains fail as they should. */
class ArcVerifierTest {
    static final String MESSAGE = "Authentication-Results: lists.example.org; spf=pass smtp.mailfrom=example.com\r\n"
            + "From: Alice <alice@example.com>\r\nTo: list@example.org\r\nSubject: Minutes\r\n"
            + "Date: Thu, 03 Dec 2026 10:00:00 +0000\r\nMessage-ID: <m-1@example.com>\r\n\r\nMinutes attached.\r\n";
    static KeyPair key;
    @TempDir
    Path dir;
    DkimPy py;
    Path keyFile;

    @BeforeAll
    static void keys() throws Exception {
        key = DkimKeyFiles.generate("rsa", 2048);
    }

    @BeforeEach
    void setUp() throws Exception {
        DkimPy.assumeInstalled();
        py = new DkimPy(dir);
        keyFile = dir.resolve("arc.key");
        DkimKeyFiles.write(keyFile, key.getPrivate());
    }

    MapAuthDns dns() {
        return new MapAuthDns().txt("arc._domainkey.example.org", DkimKeyFiles.txtValue(key.getPublic()));
    }

    static ArcResult verify(String msg, MapAuthDns dns) {
        return ArcVerifier.verify(new HeaderHashInput(RawMessage.parse(msg.getBytes(StandardCharsets.ISO_8859_1))), dns).join();
    }

    String sealed(String msg) throws Exception {
        return new String(py.run(msg.getBytes(StandardCharsets.ISO_8859_1), "arcsign", keyFile.toString(), "example.org",
                "arc", "lists.example.org"), StandardCharsets.ISO_8859_1);
    }

    /** The next hop's Authentication-Results, which dkimpy reads the new seal's cv= from. */
    static String forwardedAgain(String sealed) {
        return "Authentication-Results: lists.example.org; arc=pass\r\n" + sealed;
    }

    @Test
    void aChainSealedOnceAndTwiceByDkimpyVerifies() throws Exception {
        String once = sealed(MESSAGE);
        assertThat(once).contains("ARC-Seal: i=1");
        ArcResult r1 = verify(once, dns());
        assertThat(r1.outcome()).as(r1.reason()).isEqualTo(ArcResult.Outcome.PASS);
        assertThat(r1.instances()).isEqualTo(1);
        String twice = sealed(forwardedAgain(once));
        ArcResult r2 = verify(twice, dns());
        assertThat(r2.outcome()).as(r2.reason()).isEqualTo(ArcResult.Outcome.PASS);
        assertThat(r2.instances()).isEqualTo(2);
    }

    @Test
    void aChangedBodyBreaksTheChain() throws Exception {
        String tampered = sealed(MESSAGE).replace("Minutes attached.", "Invoice attached.");
        assertThat(verify(tampered, dns()).outcome()).isEqualTo(ArcResult.Outcome.REJECT);
    }

    @Test
    void aMissingSetIsInvalid() throws Exception {
        String twice = sealed(forwardedAgain(sealed(MESSAGE)));
        // drop the first ARC-Seal (i=1): a gap
        int start = twice.indexOf("ARC-Seal: i=1");
        int end = twice.indexOf("\r\n", start);
        while (twice.charAt(end + 2) == ' ' || twice.charAt(end + 2) == '\t') {
            end = twice.indexOf("\r\n", end + 2);
        }
        String gap = twice.substring(0, start) + twice.substring(end + 2);
        assertThat(verify(gap, dns()).outcome()).isEqualTo(ArcResult.Outcome.INVALID);
    }

    @Test
    void noArcHeadersIsNa() {
        assertThat(verify(MESSAGE, dns()).outcome()).isEqualTo(ArcResult.Outcome.NONE);
    }

    @Test
    void garbageArcHeadersAreInvalidAndUnknownKeysRejected() throws Exception {
        String garbage = "ARC-Seal: i=1; a=rsa-sha256; cv=maybe; d=example.org; s=arc; b=AAAA\r\n"
                + "ARC-Message-Signature: i=1; garbage\r\nARC-Authentication-Results: i=1; x\r\n" + MESSAGE;
        assertThat(verify(garbage, dns()).outcome()).isEqualTo(ArcResult.Outcome.INVALID);
        String noInstance = "ARC-Seal: a=rsa-sha256\r\n" + MESSAGE;
        assertThat(verify(noInstance, dns()).outcome()).isEqualTo(ArcResult.Outcome.INVALID);
        assertThat(verify(sealed(MESSAGE), new MapAuthDns()).outcome()).isEqualTo(ArcResult.Outcome.REJECT);
        assertThat(verify(sealed(MESSAGE), new MapAuthDns().fail("arc._domainkey.example.org")).outcome())
                .isEqualTo(ArcResult.Outcome.TEMPFAIL);
    }
}

package org.mailsift.scanner.auth.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.scanner.auth.MapAuthDns;

/**
 * mailsift's signatures checked by OpenDKIM's {@code opendkim-testmsg}, which asks the system resolver: it runs in
 * a private network namespace with a dnsmasq on 127.0.0.1:53 serving the test key (root and unshare needed, else
 * skipped). And the other way round: OpenDKIM signs, mailsift verifies.
 */
class OpenDkimInteropTest {
    static final Path TESTMSG = Path.of("/usr/sbin/opendkim-testmsg");
    static final Path DNSMASQ = Path.of("/usr/sbin/dnsmasq");
    static KeyPair rsa;
    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(TESTMSG) && Files.isExecutable(DNSMASQ),
                "opendkim-tools or dnsmasq-base missing (scripts/install-test-deps.sh)");
        Assumptions.assumeTrue(new ProcessBuilder("unshare", "--mount", "--net", "true").start().waitFor() == 0,
                "cannot create a private network namespace here (needs root)");
        rsa = DkimKeyFiles.generate("rsa", 2048);
    }

    private int openDkimVerifies(byte[] message) throws Exception {
        Path conf = dir.resolve("dnsmasq.conf");
        Files.writeString(conf, "txt-record=rsa._domainkey.example.com," + quotedStrings(DkimKeyFiles.txtValue(rsa.getPublic())) + "\n");
        Path script = dir.resolve("in-private-dns.sh");
        try (var in = getClass().getResourceAsStream("/auth/in-private-dns.sh")) {
            Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Path msg = dir.resolve("msg.eml");
        Files.write(msg, message);
        Process p = new ProcessBuilder("unshare", "--mount", "--net", "sh", script.toString(), dir.toString(), conf.toString(),
                TESTMSG.toString()).redirectInput(msg.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.txt").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    /** dnsmasq's txt-record: quoted character-strings of at most 255 bytes, separated by commas. */
    static String quotedStrings(String v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length(); i += 200) {
            sb.append(i == 0 ? "" : ",").append('"').append(v, i, Math.min(v.length(), i + 200)).append('"');
        }
        return sb.toString();
    }

    @Test
    void mailsiftSignaturesVerifyWithOpenDkim() throws Exception {
        for (Canonicalization c : Canonicalization.values()) {
            byte[] signed = DkimInteropTest.mailsiftSigned(DkimInteropTest.MESSAGE, rsa, "rsa", c, c, DkimInteropTest.NOW, 0);
            assertThat(openDkimVerifies(signed)).as(c + ": " + Files.readString(dir.resolve("out.txt"))).isZero();
        }
        byte[] signed = DkimInteropTest.mailsiftSigned(DkimInteropTest.MESSAGE, rsa, "rsa", Canonicalization.RELAXED,
                Canonicalization.RELAXED, DkimInteropTest.NOW, 0);
        byte[] tampered = new String(signed, StandardCharsets.ISO_8859_1).replace("noon", "one")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThat(openDkimVerifies(tampered)).isNotZero();
        assertThat(Files.readString(dir.resolve("out.txt"))).contains("Bad signature");
    }

    @Test
    void openDkimSignaturesVerifyWithMailsift() throws Exception {
        Path key = dir.resolve("rsa.key");
        DkimKeyFiles.write(key, rsa.getPrivate());
        Process p = new ProcessBuilder(TESTMSG.toString(), "-d", "example.com", "-s", "rsa", "-k", key.toString(), "-C")
                .redirectErrorStream(true).start();
        p.getOutputStream().write(DkimInteropTest.MESSAGE.getBytes(StandardCharsets.ISO_8859_1));
        p.getOutputStream().close();
        byte[] signed = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(signed)).isZero();
        assertThat(new String(signed, StandardCharsets.ISO_8859_1)).contains("DKIM-Signature:");
        MapAuthDns dns = new MapAuthDns().txt("rsa._domainkey.example.com", DkimKeyFiles.txtValue(rsa.getPublic()));
        List<DkimResult> r = DkimInteropTest.verify(signed, dns);
        assertThat(r).extracting(DkimResult::status).containsExactly(DkimResult.Status.PASS);
    }
}

package org.mailsift.sieve.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.scan.Action;
import org.mailsift.sieve.ShippedScripts;
import org.mailsift.sieve.SieveTestOracle;
import org.mailsift.sieve.engine.MailMessage;
import org.mailsift.sieve.engine.SieveEngine;

/**
 * Real messages from the SpamAssassin corpus through local delivery with the shipped spam-to-junk.sieve and a user
 * script, checked file by file: each message lands in exactly one folder, the stored file is the message with our
 * verdict headers and its body untouched, and -- when sieve-test is installed -- Pigeonhole picks the same folder
 * for the stored file with the same two scripts (sieve_before semantics via {@code -s}).
 */
class CorpusDeliveryTest {
    static final int PER_CLASS = 40;
    static final String USER_SCRIPT = """
            require ["fileinto", "mailbox", "relational", "comparator-i;ascii-numeric", "body"];
            if header :contains "Subject" ["money", "$", "free"] { fileinto :create "Offers"; }
            elsif header :count "ge" :comparator "i;ascii-numeric" "Received" "9" { fileinto :create "Hops"; }
            elsif body :text :contains "unsubscribe" { fileinto :create "Lists"; }
            """;

    @TempDir
    Path tmp;

    @Test
    void corpusMessagesLandInTheRightFolderFileByFile() throws Exception {
        Path corpus = Path.of(System.getProperty("mailsift.corpus", "/nonexistent"));
        Assumptions.assumeTrue(Files.isDirectory(corpus.resolve("spam")), "corpus not available");
        Path maildir = tmp.resolve("Maildir");
        Path script = Files.writeString(tmp.resolve("user.sieve"), USER_SCRIPT);
        SieveEngine engine = new SieveEngine();
        Map<String, Integer> perFolder = new HashMap<>();
        List<String[]> stored = new ArrayList<>();
        for (String kind : List.of("spam", "ham")) {
            Verdicts.Fixed scanner = new Verdicts.Fixed(kind.equals("spam") ? Verdicts.verdict(Action.ADD_HEADER, 8.5) : Verdicts.verdict(Action.NO_ACTION, 0.4));
            LocalDelivery delivery = new LocalDelivery(DeliverSettings.defaults(tmp.resolve("data")), engine, scanner, null, null);
            for (Path file : first(corpus.resolve(kind), PER_CLASS)) {
                byte[] raw = Files.readAllBytes(file);
                DeliveryResult r = delivery.deliver(new DeliveryRequest("alice", null, "sender@example.org", maildir, script, raw));
                assertThat(r.stored()).as(file.toString()).hasSize(1);
                Path out = r.stored().get(0);
                String folder = out.getParent().getParent().equals(maildir) ? "INBOX" : out.getParent().getParent().getFileName().toString().substring(1);
                perFolder.merge(folder, 1, Integer::sum);
                if (kind.equals("spam")) {
                    assertThat(folder).as(file.toString()).isEqualTo("Junk");
                } else {
                    assertThat(folder).as(file.toString()).isNotEqualTo("Junk");
                }
                MailMessage original = MailMessage.parse(raw);
                MailMessage written = MailMessage.parse(Files.readAllBytes(out));
                assertThat(written.body()).as(file.toString()).isEqualTo(original.body());
                assertThat(written.header("X-Spam")).isEqualTo(kind.equals("spam") ? List.of("Yes") : List.of());
                assertThat(written.header("Subject")).isEqualTo(original.header("Subject"));
                stored.add(new String[] {file.toString(), folder, out.toString()});
            }
        }
        assertThat(perFolder.get("Junk")).isEqualTo(PER_CLASS);
        assertThat(perFolder.keySet()).contains("INBOX");
        System.out.println("corpus delivery folders: " + perFolder);

        if (SieveTestOracle.available()) {
            compareWithSieveTest(stored, script);
        }
    }

    private void compareWithSieveTest(List<String[]> stored, Path userScript) throws Exception {
        // sieve-test drops to an unprivileged uid: it must be able to reach and read the files
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path dir = Files.createDirectories(tmp.resolve("oracle"));
        SieveTestOracle.create(dir); // writes dovecot.conf with special-use enabled
        Path before = Files.write(dir.resolve("spam-to-junk.sieve"), ShippedScripts.read(ShippedScripts.SPAM_TO_JUNK));
        Path user = Files.copy(userScript, dir.resolve("user.sieve"));
        Object owner = Files.getAttribute(dir, "unix:uid");
        String uid = owner.toString().equals("0") ? "65534" : owner.toString();
        for (String[] s : stored) {
            Path msg = Files.write(dir.resolve("m.eml"), Files.readAllBytes(Path.of(s[2])));
            Process p = new ProcessBuilder(SieveTestOracle.SIEVE_TEST.toString(), "-c", dir.resolve("dovecot.conf").toString(),
                    "-o", "mail_uid=" + uid, "-o", "mail_gid=" + uid, "-o", "mail_home=" + dir, "-s", before.toString(),
                    user.toString(), msg.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            // with several scripts sieve-test prints one section per script; "* keep" means INBOX, and only the last
            // section's implicit keep is carried out
            String last = out.substring(Math.max(0, out.lastIndexOf("## Executing script")));
            List<String> decisions = new ArrayList<>(out.lines().map(String::trim).filter(l -> l.startsWith("* store message in folder: "))
                    .map(l -> l.substring("* store message in folder: ".length())).toList());
            if (last.lines().map(String::trim).anyMatch(l -> l.equals("* keep"))) {
                decisions.add("INBOX");
            }
            assertThat(decisions).as("sieve-test for " + s[0]).containsExactly(s[1]);
        }
    }

    private static List<Path> first(Path dir, int n) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".eml")).sorted().limit(n).toList();
        }
    }
}

package org.mailsift.sieve.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.scan.Action;
import org.mailsift.sieve.engine.SieveEngine;

class LocalDeliveryTest {
    static final String MESSAGE = """
            From: Ann <ann@a.example>
            To: bob@b.example
            Subject: Hello there
            Message-ID: <hello@a.example>

            Hi Bob
            """;

    @TempDir
    Path tmp;
    Path maildir;
    Path sendmailLog;
    DeliverSettings settings;

    @BeforeEach
    void setUp() throws IOException {
        maildir = tmp.resolve("vmail/b.example/bob/Maildir");
        Files.createDirectories(maildir.getParent());
        sendmailLog = tmp.resolve("sendmail.log");
        // a sendmail(1) stand-in that records its arguments and the message, as the MTA would receive them
        Path sendmail = Files.writeString(tmp.resolve("sendmail"), "#!/bin/sh\necho \"ARGS $*\" >> " + sendmailLog + "\ncat >> " + sendmailLog + "\n");
        Files.setPosixFilePermissions(sendmail, PosixFilePermissions.fromString("rwxr-xr-x"));
        settings = DeliverSettings.defaults(tmp.resolve("data"))
                .withMaildir(tmp + "/vmail/%d/%n/Maildir").withSieve(tmp + "/vmail/%d/%n/.dovecot.sieve")
                .withSendmail(List.of(sendmail.toString()));
    }

    DeliveryResult deliver(Verdicts.Fixed scanner, String message) throws IOException {
        return deliver(scanner, message, "ann@a.example");
    }

    DeliveryResult deliver(Verdicts.Fixed scanner, String message, String sender) throws IOException {
        LocalDelivery d = new LocalDelivery(settings, new SieveEngine(), scanner, null, null);
        return d.deliver(new DeliveryRequest("bob@b.example", null, sender, null, null, message.getBytes(StandardCharsets.UTF_8)));
    }

    void userScript(String script) throws IOException {
        Files.writeString(maildir.getParent().resolve(".dovecot.sieve"), script);
    }

    static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void spamVerdictIsFiledIntoACreatedJunkFolder() throws Exception {
        Verdicts.Fixed scanner = new Verdicts.Fixed(Verdicts.verdict(Action.ADD_HEADER, 7.3));
        DeliveryResult r = deliver(scanner, MESSAGE);
        assertThat(r.status()).isEqualTo(DeliveryResult.Status.DELIVERED);
        assertThat(files(maildir.resolve("new"))).isEmpty();
        List<Path> junk = files(maildir.resolve(".Junk/new"));
        assertThat(junk).hasSize(1);
        String stored = Files.readString(junk.get(0));
        assertThat(stored).contains("X-Spam: Yes").contains("X-Spamd-Result: default: False [7.30 / 15.00]").endsWith("Hi Bob\n");
        assertThat(maildir.resolve(".Junk/maildirfolder")).exists();
        assertThat(scanner.calls).isEqualTo(1);
    }

    @Test
    void rejectAndRewriteSubjectVerdictsAlsoGoToJunk() throws Exception {
        deliver(new Verdicts.Fixed(Verdicts.verdict(Action.REJECT, 20)), MESSAGE);
        deliver(new Verdicts.Fixed(Verdicts.verdict(Action.REWRITE_SUBJECT, 9)), MESSAGE);
        assertThat(files(maildir.resolve(".Junk/new"))).hasSize(2);
    }

    @Test
    void forgedSpamHeaderIsRemovedWhenTheScanSaysHam() throws Exception {
        deliver(new Verdicts.Fixed(Verdicts.verdict(Action.NO_ACTION, 0.5)), "X-Spam: Yes\n" + MESSAGE);
        List<Path> inbox = files(maildir.resolve("new"));
        assertThat(inbox).hasSize(1);
        assertThat(Files.readString(inbox.get(0))).doesNotContain("X-Spam: Yes").contains("[0.50 / 15.00]");
        assertThat(maildir.resolve(".Junk")).doesNotExist();
    }

    @Test
    void userScriptRunsForHamAndItsFlagsBecomeMaildirInfo() throws Exception {
        userScript("""
                require ["fileinto", "mailbox", "imap4flags"];
                if header :contains "Subject" "hello" { fileinto :create :flags "\\\\Seen \\\\Flagged" "Greetings"; }
                """);
        deliver(new Verdicts.Fixed(Verdicts.verdict(Action.NO_ACTION, 0)), MESSAGE);
        List<Path> cur = files(maildir.resolve(".Greetings/cur"));
        assertThat(cur).hasSize(1);
        assertThat(cur.get(0).getFileName().toString()).endsWith(":2,FS");
        assertThat(files(maildir.resolve("new"))).isEmpty();
    }

    @Test
    void userScriptDoesNotRunForSpamBecauseTheBeforeScriptStops() throws Exception {
        userScript("require \"fileinto\";\nfileinto \"Everything\";\n");
        deliver(new Verdicts.Fixed(Verdicts.verdict(Action.ADD_HEADER, 8)), MESSAGE);
        assertThat(files(maildir.resolve(".Junk/new"))).hasSize(1);
        assertThat(maildir.resolve(".Everything")).doesNotExist();
    }

    @Test
    void brokenUserScriptFallsBackToInboxAndNamesTheFileAndLine() throws Exception {
        userScript("require \"fileinto\";\n\nfileinto \"A\"\nkeep;\n");
        DeliveryResult r = deliver(new Verdicts.Fixed(Verdicts.verdict(Action.NO_ACTION, 0)), MESSAGE);
        assertThat(r.status()).isEqualTo(DeliveryResult.Status.DELIVERED);
        assertThat(files(maildir.resolve("new"))).hasSize(1);
        assertThat(r.scriptErrors()).singleElement().asString().contains(".dovecot.sieve").containsIgnoringCase("line 3");
    }

    @Test
    void fileintoAMissingMailboxWithoutCreateKeepsInInbox() throws Exception {
        userScript("require \"fileinto\";\nfileinto \"Nowhere\";\n");
        deliver(new Verdicts.Fixed(Verdicts.verdict(Action.NO_ACTION, 0)), MESSAGE);
        assertThat(files(maildir.resolve("new"))).hasSize(1);
        assertThat(maildir.resolve(".Nowhere")).doesNotExist();
    }

    @Test
    void aFileintoNameTooLongForTheFileSystemIsInvalidAndGoesToInbox() throws Exception {
        // 250 ASCII characters become a 251-byte directory name; 300 do not fit in NAME_MAX (255)
        String tooLong = "L".repeat(300);
        String nested = "Projects/" + "N".repeat(120) + "/" + "M".repeat(130);
        for (String name : List.of(tooLong, nested, "\u00e9".repeat(100))) {
            userScript("require [\"fileinto\", \"mailbox\"];\nfileinto :create \"" + name + "\";\n");
            DeliveryResult r = deliver(new Verdicts.Fixed(Verdicts.verdict(Action.NO_ACTION, 0)), MESSAGE);
            assertThat(r.status()).as(name).isEqualTo(DeliveryResult.Status.DELIVERED);
        }
        assertThat(files(maildir.resolve("new"))).hasSize(3);
        assertThat(files(maildir)).extracting(p -> p.getFileName().toString()).allMatch(n -> n.length() < 20);
    }

    @Test
    void aFileintoNameJustUnderTheLimitIsCreated() throws Exception {
        String name = "K".repeat(254); // ".KKK..." is 255 bytes
        userScript("require [\"fileinto\", \"mailbox\"];\nfileinto :create \"" + name + "\";\n");
        deliver(new Verdicts.Fixed(Verdicts.verdict(Action.NO_ACTION, 0)), MESSAGE);
        assertThat(files(maildir.resolve("." + name + "/new"))).hasSize(1);
    }

    @Test
    void unknownUserIsRefused() throws Exception {
        LocalDelivery d = new LocalDelivery(settings, new SieveEngine(), null, null, null);
        DeliveryResult r = d.deliver(new DeliveryRequest("nobody@b.example", null, "a@x", null, null, MESSAGE.getBytes(StandardCharsets.UTF_8)));
        assertThat(r.status()).isEqualTo(DeliveryResult.Status.NO_USER);
        assertThat(tmp.resolve("vmail/b.example/nobody")).doesNotExist();
    }

    @Test
    void dotDotAsDomainOrLocalPartNeverLeavesTheMaildirRoot() throws Exception {
        // "bob@.." would expand tmp/vmail/%d/%n/Maildir to tmp/vmail/../bob/Maildir = tmp/bob/Maildir
        Files.createDirectories(tmp.resolve("bob/Maildir"));
        settings = settings.withCreateHome(true);
        LocalDelivery d = new LocalDelivery(settings, new SieveEngine(), null, null, null);
        for (String user : List.of("bob@..", "bob@.", "..@b.example", "x@..", "@b.example", "bob@")) {
            DeliveryResult r = d.deliver(new DeliveryRequest(user, null, "a@x", null, null, MESSAGE.getBytes(StandardCharsets.UTF_8)));
            assertThat(r.status()).as(user).isEqualTo(DeliveryResult.Status.NO_USER);
        }
        assertThat(files(tmp.resolve("bob/Maildir"))).isEmpty();
        assertThat(tmp.resolve("x")).doesNotExist();
        assertThat(tmp.resolve("vmail/Maildir")).doesNotExist();
    }

    @Test
    void aPathThatLeavesTheTemplatesFixedPrefixIsRefused() {
        assertThat(UserPaths.confined("/var/vmail/%d/%n/Maildir", Path.of("/var/vmail/b.example/bob/Maildir"))).isTrue();
        assertThat(UserPaths.confined("/var/vmail/%d/%n/Maildir", Path.of("/var/vmail/../bob/Maildir"))).isFalse();
        assertThat(UserPaths.confined("/var/vmail/%d%n", Path.of("/var/vmail/"))).isFalse();
        assertThat(UserPaths.confined("/var/vmail/d-%d/%n", Path.of("/var/vmail/d-../x"))).isTrue(); // "d-.." is a plain name
        assertThat(UserPaths.confined("~/Maildir", Path.of("/home/bob/Maildir"))).isTrue();
    }

    @Test
    void rejectRefusesWithTheScriptsReason() throws Exception {
        userScript("require \"reject\";\nif address :is \"from\" \"ann@a.example\" { reject \"Ann is blocked\"; }\n");
        DeliveryResult r = deliver(new Verdicts.Fixed(Verdicts.verdict(Action.NO_ACTION, 0)), MESSAGE);
        assertThat(r.status()).isEqualTo(DeliveryResult.Status.REJECTED);
        assertThat(r.rejectReason()).isEqualTo("Ann is blocked");
        assertThat(files(maildir.resolve("new"))).isEmpty();
    }

    @Test
    void redirectGoesThroughSendmailWithTheOriginalSender() throws Exception {
        userScript("redirect \"carol@c.example\";\n");
        DeliveryResult r = deliver(new Verdicts.Fixed(Verdicts.verdict(Action.NO_ACTION, 0)), MESSAGE);
        assertThat(r.stored()).isEmpty();
        assertThat(Files.readString(sendmailLog)).startsWith("ARGS -i -f ann@a.example -- carol@c.example\n").contains("Hi Bob");
    }

    @Test
    void vacationAnswersEachSenderOncePerPeriodAndNeverTheNullSender() throws Exception {
        userScript("require \"vacation\";\nvacation :days 7 :subject \"Away\" \"Back on Monday\";\n");
        Verdicts.Fixed ham = new Verdicts.Fixed(Verdicts.verdict(Action.NO_ACTION, 0));
        deliver(ham, MESSAGE);
        deliver(ham, MESSAGE);
        deliver(ham, MESSAGE, "");
        String log = Files.readString(sendmailLog);
        assertThat(log.split("ARGS ", -1)).hasSize(2);
        assertThat(log).contains("ARGS -i -f <> -- ann@a.example").contains("Subject: Away").contains("Auto-Submitted: auto-replied")
                .contains("In-Reply-To: <hello@a.example>").contains("Back on Monday");
        assertThat(files(maildir.resolve("new"))).hasSize(3);
    }

    @Test
    void discardStoresNothing() throws Exception {
        userScript("discard;\n");
        DeliveryResult r = deliver(new Verdicts.Fixed(Verdicts.verdict(Action.NO_ACTION, 0)), MESSAGE);
        assertThat(r.status()).isEqualTo(DeliveryResult.Status.DISCARDED);
        assertThat(files(maildir.resolve("new"))).isEmpty();
    }
}

package org.mailsift.sieve.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.message.HeaderRewriter;
import org.mailsift.core.message.VerdictSeal;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.HeaderChange;
import org.mailsift.sieve.engine.SieveEngine;

/** Deliver trusts the verdict headers only when our milter's seal verifies; otherwise it scans. */
class SealedDeliveryTest {
    static final String MESSAGE = "From: Ann <ann@a.example>\nTo: bob@b.example\nSubject: cheap\nMessage-ID: <c@a.example>\n\nBuy now\n";
    static final List<HeaderChange> MILTER_EDITS = List.of(HeaderChange.add("X-Spamd-Result", "default: False [9.00 / 15.00]"),
            HeaderChange.set("X-Spam", "Yes"));

    @TempDir
    Path tmp;

    /** The message as our milter leaves it: its verdict headers plus a seal made with {@code dataDir}'s key. */
    static byte[] sealedByMilter(Path dataDir) throws IOException {
        byte[] raw = MESSAGE.getBytes(StandardCharsets.US_ASCII);
        List<HeaderChange> edits = new ArrayList<>(MILTER_EDITS);
        edits.add(VerdictSeal.open(dataDir).sealHeader(raw, MILTER_EDITS, Instant.now()));
        return HeaderRewriter.apply(raw, edits);
    }

    DeliveryResult deliver(Verdicts.Fixed scanner, byte[] message) throws IOException {
        Path data = tmp.resolve("data");
        DeliverSettings settings = DeliverSettings.defaults(data).withMaildir(tmp + "/Maildir");
        LocalDelivery d = new LocalDelivery(settings, new SieveEngine(), scanner, VerdictSeal.open(data), null);
        return d.deliver(new DeliveryRequest("bob@b.example", null, "ann@a.example", tmp.resolve("Maildir"), null, message));
    }

    @Test
    void aVerifiedSealSkipsTheScanAndItsVerdictFilesIntoJunk() throws Exception {
        Verdicts.Fixed scanner = new Verdicts.Fixed(Verdicts.verdict(Action.NO_ACTION, 0));
        DeliveryResult r = deliver(scanner, sealedByMilter(tmp.resolve("data")));
        assertThat(scanner.calls).isZero();
        assertThat(r.stored()).singleElement().satisfies(p -> assertThat(p.toString()).contains("/.Junk/new/"));
    }

    @Test
    void aSealFromAnotherKeyIsScannedAndItsHeadersReplaced() throws Exception {
        Verdicts.Fixed scanner = new Verdicts.Fixed(Verdicts.verdict(Action.NO_ACTION, 0.5));
        DeliveryResult r = deliver(scanner, sealedByMilter(tmp.resolve("elsewhere")));
        assertThat(scanner.calls).isEqualTo(1);
        String stored = Files.readString(r.stored().get(0));
        assertThat(r.stored().get(0).toString()).contains("/Maildir/new/");
        assertThat(stored).doesNotContain("X-Spam: Yes").doesNotContain(VerdictSeal.HEADER).contains("[0.50 / 15.00]");
    }
}

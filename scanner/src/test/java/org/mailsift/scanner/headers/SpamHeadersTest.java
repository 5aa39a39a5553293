package org.mailsift.scanner.headers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailsift.scanner.TestConfig.arr;
import static org.mailsift.scanner.TestConfig.obj;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.mailsift.core.message.HeaderRewriter;
import org.mailsift.core.message.MessageParser;
import org.mailsift.core.message.ParsedMessage;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.HeaderChange;
import org.mailsift.core.scan.SymbolResult;
import org.mailsift.scanner.TestConfig;
import org.mailsift.scanner.settings.MilterHeadersSettings;

class SpamHeadersTest {
    private static final List<SymbolResult> SYMBOLS = List.of(
            new SymbolResult("MISSING_MID", 2.5, 2.5, "", List.of()),
            new SymbolResult("ARC_NA", 0.0, 0.0, "", List.of()),
            new SymbolResult("FROM_NEQ_ENVFROM", 0.0, 0.0, "", List.of("a@x.org", "b@y.org")),
            new SymbolResult("MIME_GOOD", -0.1, -0.1, "", List.of("text/plain")));
    private static final SpamHeaders.Scoring VERDICT = new SpamHeaders.Scoring(7.3, 15.0, Action.ADD_HEADER, SYMBOLS,
            "4XyZ1", null, null, null, null);
    private static final ParsedMessage SPOOFED = MessageParser.parse(("X-Spam: Yes\r\nX-Spamd-Result: default: True\r\n"
            + "X-Rspamd-Score: 99\r\nX-Spam-Status: Yes\r\nFrom: a@x.org\r\n\r\nhi\r\n").getBytes(StandardCharsets.US_ASCII));

    @Test
    void spamdResultIsByteForByteRspamdsFormat() {
        assertThat(SpamHeaders.spamdResult(VERDICT)).isEqualTo("default: False [7.30 / 15.00];\r\n"
                + "\tMISSING_MID(2.50)[];\r\n\tARC_NA(0.00)[];\r\n\tFROM_NEQ_ENVFROM(0.00)[a@x.org,b@y.org];\r\n"
                + "\tMIME_GOOD(-0.10)[text/plain]");
    }

    @Test
    void extendedHeadersAfterRemovingSpoofedOnes() {
        MilterHeadersSettings s = MilterHeadersSettings.from(obj("extended_spam_headers", true), new TestConfig());
        List<HeaderChange> changes = SpamHeaders.render(VERDICT, SPOOFED, false, false, s, "mx1.example.com");
        assertThat(changes).containsExactly(
                HeaderChange.removeAll("X-Spam"),
                HeaderChange.removeAll("X-Spamd-Result"),
                HeaderChange.removeAll("X-Rspamd-Score"),
                HeaderChange.removeAll("X-Spam-Status"),
                HeaderChange.add("X-Spamd-Result", SpamHeaders.spamdResult(VERDICT)),
                HeaderChange.add("X-Rspamd-Queue-Id", "4XyZ1"),
                HeaderChange.add("X-Rspamd-Server", "mx1.example.com"),
                HeaderChange.add("X-Rspamd-Action", "add header"),
                HeaderChange.add("X-Spam-Status", "Yes, score=7.30"),
                HeaderChange.add("X-Spam-Level", "*******"),
                HeaderChange.add("X-Spamd-Bar", "+++++++"),
                HeaderChange.add("X-Spam", "Yes"));
    }

    @Test
    void localAndAuthenticatedSendersGetNoResultHeadersButSpoofedOnesStillGo() {
        List<HeaderChange> local = SpamHeaders.render(VERDICT, SPOOFED, true, false, MilterHeadersSettings.DEFAULTS, "h");
        // the spam flag is not a result header: local spam is still flagged, as before
        assertThat(local).filteredOn(c -> c.kind() == HeaderChange.Kind.ADD).containsExactly(HeaderChange.add("X-Spam", "Yes"));
        assertThat(local).contains(HeaderChange.removeAll("X-Spamd-Result"));
        MilterHeadersSettings keepForLocal = MilterHeadersSettings.from(obj("skip_local", false), new TestConfig());
        assertThat(SpamHeaders.render(VERDICT, SPOOFED, true, false, keepForLocal, "h"))
                .filteredOn(c -> c.kind() == HeaderChange.Kind.ADD).extracting(HeaderChange::name).contains("X-Spamd-Result");
        List<HeaderChange> authed = SpamHeaders.render(VERDICT, SPOOFED, false, true,
                MilterHeadersSettings.from(obj("authenticated_headers", arr("x-spamd-result")), new TestConfig()), "h");
        assertThat(authed).filteredOn(c -> c.kind() == HeaderChange.Kind.ADD).extracting(HeaderChange::name)
                .containsExactly("X-Spamd-Result", "X-Spam");
    }

    @Test
    void theSpamHeaderIsTheConfiguredOneReplacingEveryIncomingCopyAndTheSubjectComesLast() {
        MilterHeadersSettings s = MilterHeadersSettings.DEFAULTS.withSpamHeader("X-Spam-Flag");
        SpamHeaders.Scoring rewrite = new SpamHeaders.Scoring(9, 15.0, Action.REWRITE_SUBJECT, List.of(), null, null, null,
                null, "*** SPAM *** hi");
        List<HeaderChange> changes = SpamHeaders.render(rewrite,
                MessageParser.parse("X-Spam-Flag: NO\nX-Mailsift-Seal: forged\nSubject: hi\n\nx\n".getBytes()), false, false, s, "h");
        assertThat(changes).containsExactly(HeaderChange.removeAll("X-Mailsift-Seal"),
                HeaderChange.add("X-Spamd-Result", "default: False [9.00 / 15.00]"),
                HeaderChange.removeAll("X-Spam-Flag"), HeaderChange.add("X-Spam-Flag", "Yes"),
                HeaderChange.set("Subject", "*** SPAM *** hi"));
    }

    @Test
    void hamGetsANeutralBarAndNoSpamFlag() {
        SpamHeaders.Scoring ham = new SpamHeaders.Scoring(-0.1, 15.0, Action.NO_ACTION, List.of(), null, null, null,
                null, null);
        MilterHeadersSettings s = MilterHeadersSettings.from(obj("use", arr("x-spamd-bar", "x-spam-level")), new TestConfig());
        List<HeaderChange> changes = SpamHeaders.render(ham, MessageParser.parse("From: a@b\n\nx\n".getBytes()), false,
                false, s, "h");
        assertThat(changes).containsExactly(HeaderChange.add("X-Spamd-Result", "default: False [-0.10 / 15.00]"),
                HeaderChange.add("X-Spamd-Bar", "/"));
    }

    @Test
    void appliedToTheMessageTheHeadersKeepItsLineEndings() {
        MilterHeadersSettings s = MilterHeadersSettings.from(obj("extended_spam_headers", true), new TestConfig());
        byte[] lf = "X-Spam: Yes\nFrom: a@x.org\nSubject: s\n\nbody\n".getBytes(StandardCharsets.US_ASCII);
        List<HeaderChange> changes = SpamHeaders.render(VERDICT, MessageParser.parse(lf), false, false, s, "mx");
        String out = new String(HeaderRewriter.apply(lf, changes), StandardCharsets.US_ASCII);
        assertThat(out).startsWith("From: a@x.org\nSubject: s\nX-Spamd-Result: default: False [7.30 / 15.00];\n\tMISSING_MID(2.50)[];\n");
        assertThat(out).endsWith("X-Spamd-Bar: +++++++\nX-Spam: Yes\n\nbody\n");
        assertThat(out).doesNotContain("\r");
    }

    @Test
    void scoresPrintAsPrintfTwoDecimalsDoes() {
        java.util.Random random = new java.util.Random(42);
        List<Double> values = new java.util.ArrayList<>(List.of(0.0, -0.0, 1.005, 2.675, -0.001, 0.125, -0.125, 0.995,
                999.995, 1e12, -7.5, 15.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
        for (int i = 0; i < 20_000; i++) {
            values.add((random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(8)));
            values.add(Math.round(random.nextDouble() * 100_000) / 1000.0 - 50); // three decimals: rounding ties
        }
        for (double d : values) {
            assertThat(SpamHeaders.two(d)).as("%s", d).isEqualTo(String.format(java.util.Locale.ROOT, "%.2f", d));
        }
        assertThat(SpamHeaders.two(Double.NaN)).isEqualTo("nan");
    }
}

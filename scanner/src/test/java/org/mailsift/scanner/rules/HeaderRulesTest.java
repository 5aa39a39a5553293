package org.mailsift.scanner.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailsift.scanner.Fixtures.names;
import static org.mailsift.scanner.Fixtures.scan;

import org.junit.jupiter.api.Test;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.core.scan.SymbolResult;

class HeaderRulesTest {

    private static SymbolResult symbol(ScanResult r, String name) {
        return r.symbols().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " missing in " + names(r)));
    }

    @Test
    void aNormalLetterFromAColleagueTriggersOnlyNeutralSymbols() {
        ScanResult r = scan("plain-good.eml", Envelope.builder().mailFrom("alice@example.org").addRcpt("bob@example.com")
                .clientIp("192.0.2.1").build());
        assertThat(names(r)).contains("FROM_HAS_DN", "FROM_EQ_ENVFROM", "TO_DN_ALL", "RCPT_COUNT_ONE", "RCVD_COUNT_TWO",
                "MIME_GOOD", "MID_RHS_MATCH_FROM");
        assertThat(names(r)).doesNotContain("MISSING_DATE", "MISSING_MID", "MISSING_TO", "MISSING_SUBJECT",
                "MISSING_FROM", "ONCE_RECEIVED", "DATE_IN_PAST", "DATE_IN_FUTURE", "INVALID_MSGID");
        assertThat(r.score()).isLessThan(0.5);
    }

    @Test
    void aMessageWithOnlyAReceivedHeaderMissesEverythingElse() {
        ScanResult r = scan("bare-headers.eml");
        assertThat(names(r)).contains("MISSING_DATE", "MISSING_MID", "MISSING_TO", "MISSING_SUBJECT", "MISSING_FROM",
                "ONCE_RECEIVED", "RCVD_COUNT_ONE");
        assertThat(symbol(r, "MISSING_MID").score()).isEqualTo(2.5);
        assertThat(symbol(r, "RCVD_COUNT_ONE").options()).containsExactly("1");
    }

    @Test
    void groupMaxScoreCapsTheHeadersGroupAtEight() {
        ScanResult r = scan("bare-headers.eml");
        double headers = r.symbols().stream().filter(s -> s.name().startsWith("MISSING_") || s.name().equals("ONCE_RECEIVED"))
                .mapToDouble(SymbolResult::score).sum();
        // 2.5 + 2 + 2 + 2 + 1 + 0.1 = 9.6 uncapped
        assertThat(headers).isEqualTo(8.0);
    }

    @Test
    void onceReceivedIsNotChargedToAuthenticatedSenders() {
        ScanResult r = scan("bare-headers.eml", Envelope.builder().authUser("bob").build());
        assertThat(names(r)).doesNotContain("ONCE_RECEIVED");
    }

    @Test
    void shoutingSubjectTwoFromAddressesAndAForeignReplyTo() {
        ScanResult r = scan("shouting.eml", Envelope.builder().mailFrom("bounce@bulk.example").build());
        assertThat(symbol(r, "MULTIPLE_FROM").weight()).isEqualTo(8.0);
        assertThat(symbol(r, "SUBJ_ALL_CAPS").options()).containsExactly("33");
        assertThat(symbol(r, "SUBJ_ALL_CAPS").score()).isEqualTo(3.0 * 33 / 40, org.assertj.core.data.Offset.offset(0.001));
        assertThat(names(r)).contains("SUBJECT_ENDS_EXCLAIM", "HAS_REPLYTO", "REPLYTO_DOM_NEQ_FROM_DOM", "TO_DN_SOME",
                "RCPT_COUNT_TWO");
        assertThat(symbol(r, "HAS_REPLYTO").options()).containsExactly("winner@claims.example.net");
        assertThat(symbol(r, "FROM_NEQ_ENVFROM").options()).containsExactly("deals@shop.example", "bounce@bulk.example");
    }

    @Test
    void recipientsWithoutNamesAndABadMessageId() {
        ScanResult r = scan("future.eml");
        assertThat(names(r)).contains("TO_DN_NONE", "DATE_IN_FUTURE");
        assertThat(symbol(r, "DATE_IN_FUTURE").options()).containsExactly("71");
        ScanResult n = scan("names.eml");
        assertThat(names(n)).contains("INVALID_MSGID", "TO_DN_ALL", "RCPT_COUNT_TWO");
    }

    @Test
    void oldMessagesAreDatedInThePast() {
        byte[] raw = ("From: a@example.org\nTo: b@example.com\nSubject: old\nDate: Mon, 1 Jan 2001 00:00:00 +0000\n"
                + "Message-ID: <x@example.org>\n\nold\n").getBytes();
        ScanResult r = org.mailsift.scanner.Fixtures.engine().scan(raw, Envelope.EMPTY);
        assertThat(names(r)).contains("DATE_IN_PAST");
        byte[] bad = ("From: a@example.org\nDate: yesterday-ish\n\nx\n").getBytes();
        assertThat(names(org.mailsift.scanner.Fixtures.engine().scan(bad, Envelope.EMPTY))).contains("INVALID_DATE");
    }

    @Test
    void aStoredMessageScannedYearsLaterIsJudgedByTheDateItArrivedOn() {
        String body = "From: a@example.org\nTo: b@example.com\nSubject: old\nMessage-ID: <x@example.org>\n\nold\n";
        byte[] onTime = ("Received: from mx.example.org by mx.example.com; Mon, 1 Jan 2001 00:05:00 +0000\n"
                + "Date: Mon, 1 Jan 2001 00:00:00 +0000\n" + body).getBytes();
        byte[] backdated = ("Received: from mx.example.org by mx.example.com; Fri, 5 Jan 2001 00:05:00 +0000\n"
                + "Date: Mon, 1 Jan 2001 00:00:00 +0000\n" + body).getBytes();
        byte[] receivedInTheFuture = ("Received: from mx.example.org by mx.example.com; Mon, 1 Jan 2900 00:05:00 +0000\n"
                + "Date: Mon, 1 Jan 2001 00:00:00 +0000\n" + body).getBytes();

        assertThat(names(org.mailsift.scanner.Fixtures.engine().scan(onTime, Envelope.EMPTY))).doesNotContain("DATE_IN_PAST");
        assertThat(names(org.mailsift.scanner.Fixtures.engine().scan(backdated, Envelope.EMPTY))).contains("DATE_IN_PAST");
        // a Received date later than now is not believed: the scan's own time is the reference
        assertThat(names(org.mailsift.scanner.Fixtures.engine().scan(receivedInTheFuture, Envelope.EMPTY))).contains("DATE_IN_PAST");
    }
}

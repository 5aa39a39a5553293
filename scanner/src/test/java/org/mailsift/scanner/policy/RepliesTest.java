package org.mailsift.scanner.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailsift.scanner.TestConfig.obj;
import static org.mailsift.scanner.policy.PolicyScans.envelope;
import static org.mailsift.scanner.policy.PolicyScans.symbol;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.scanner.ScanEngine;
import org.mailsift.scanner.TestConfig;

/** A user writes to a stranger; the stranger's answer is recognised as a reply. */
class RepliesTest {
    private static final byte[] OUTGOING = PolicyScans.message("""
            From: Alice <alice@example.test>
            To: bob@partner.test
            Subject: Meeting on Friday
            Message-ID: <meeting-42@example.test>
            """, "Shall we meet on Friday?\n");

    @RegisterExtension
    final OpenPolicyStores stores = new OpenPolicyStores();
    private final SettableClock clock = stores.clock;

    private ScanEngine engine(Object... replies) {
        return PolicyScans.engine(new TestConfig().with("greylist", obj("enabled", false)).with("replies", obj(replies)), stores.get());
    }

    private static byte[] answer(String headers) {
        return PolicyScans.message("""
                From: Bob <bob@partner.test>
                To: alice@example.test
                Subject: Re: Meeting on Friday
                Message-ID: <re-1@partner.test>
                """ + headers, "Friday is fine.\n");
    }

    @Test
    void anAnswerToWhatAnAuthenticatedUserSentGetsReply() {
        ScanEngine engine = engine();
        engine.scan(OUTGOING, envelope("203.0.113.50", "alice@example.test", "bob@partner.test", "alice"));
        ScanResult reply = engine.scan(answer("In-Reply-To: <meeting-42@example.test>"),
                envelope("198.51.100.9", "bob@partner.test", "alice@example.test", null));
        assertThat(symbol(reply, "REPLY")).isNotNull();
        assertThat(symbol(reply, "REPLY").score()).isEqualTo(-4);
    }

    @Test
    void theReferencesOfAnAnswerCountToo() {
        ScanEngine engine = engine();
        engine.scan(OUTGOING, envelope("192.168.1.20", "alice@example.test", "bob@partner.test", null)); // local client
        ScanResult reply = engine.scan(answer("In-Reply-To: <other@partner.test>\nReferences: <meeting-42@example.test>\n <other@partner.test>"),
                envelope("198.51.100.9", "bob@partner.test", "alice@example.test", null));
        assertThat(symbol(reply, "REPLY")).isNotNull();
    }

    @Test
    void anAnswerToSomeoneElseOrToMailFromAStrangerIsNoReply() {
        ScanEngine engine = engine();
        engine.scan(OUTGOING, envelope("198.51.100.1", "alice@example.test", "bob@partner.test", null)); // a stranger sent it
        ScanResult notOurs = engine.scan(answer("In-Reply-To: <meeting-42@example.test>"),
                envelope("198.51.100.9", "bob@partner.test", "alice@example.test", null));
        assertThat(symbol(notOurs, "REPLY")).isNull();

        engine.scan(OUTGOING, envelope("203.0.113.50", "alice@example.test", "bob@partner.test", "alice"));
        ScanResult toCarol = engine.scan(answer("In-Reply-To: <meeting-42@example.test>"),
                envelope("198.51.100.9", "bob@partner.test", "carol@example.test", null));
        assertThat(symbol(toCarol, "REPLY")).isNull();
    }

    @Test
    void theConfiguredActionIsForcedOnReplies() {
        ScanEngine engine = engine("action", "no action");
        engine.scan(OUTGOING, envelope("203.0.113.50", "alice@example.test", "bob@partner.test", "alice"));
        ScanResult reply = engine.scan(answer("In-Reply-To: <meeting-42@example.test>"),
                envelope("198.51.100.9", "bob@partner.test", "alice@example.test", null));
        assertThat(reply.action()).isEqualTo(Action.NO_ACTION);
        assertThat(reply.smtpMessage()).isEqualTo("Message is reply to one we originated");
    }

    @Test
    void idsAreForgottenAfterExpire() {
        ScanEngine engine = engine("expire", 3600);
        engine.scan(OUTGOING, envelope("203.0.113.50", "alice@example.test", "bob@partner.test", "alice"));
        clock.advance(Duration.ofMinutes(61));
        ScanResult late = engine.scan(answer("In-Reply-To: <meeting-42@example.test>"),
                envelope("198.51.100.9", "bob@partner.test", "alice@example.test", null));
        assertThat(symbol(late, "REPLY")).isNull();
    }
}

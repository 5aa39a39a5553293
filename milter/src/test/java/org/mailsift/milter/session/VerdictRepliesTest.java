package org.mailsift.milter.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.HeaderChange;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.milter.FallbackAction;
import org.mailsift.milter.MilterSettings;
import org.mailsift.milter.codec.MilterReply;
import org.mailsift.milter.codec.MilterReply.AddHeader;
import org.mailsift.milter.codec.MilterReply.ChangeHeader;
import org.mailsift.milter.codec.MilterReply.InsertHeader;
import org.mailsift.milter.codec.MilterReply.Quarantine;
import org.mailsift.milter.codec.MilterReply.ReplyCode;

class VerdictRepliesTest {
    private static final MilterSettings DEFAULTS = MilterSettings.defaults();

    private static ScanResult result(Action action, String smtpMessage, String subject, List<HeaderChange> changes) {
        return new ScanResult(1, 15, action, Map.of(), List.of(), "id", subject, smtpMessage, changes, 0, null);
    }

    private static MilterSettings with(boolean discard, boolean quarantine, FallbackAction fallback) {
        MilterSettings d = DEFAULTS;
        return new MilterSettings(d.bindSockets(), true, d.scanTimeout(), d.readTimeout(), discard, quarantine,
                "Go away", "Later please", d.maxSize(), fallback, 2, true, org.mailsift.milter.MilterLimits.defaults());
    }

    @Test
    void cleanMailGetsTheEngineHeaderEditsThenAccept() {
        List<HeaderChange> changes = List.of(HeaderChange.removeAll("X-Spamd-Result"), HeaderChange.add("X-Spamd-Result", "default: False"));
        // two spoofed X-Spamd-Result came in: delete the second, then the first, then add ours
        List<MilterReply> replies = new VerdictReplies(DEFAULTS).forResult(result(Action.NO_ACTION, null, null, changes),
                Map.of("x-spamd-result", 2));
        assertThat(replies).containsExactly(new ChangeHeader(2, "X-Spamd-Result", ""), new ChangeHeader(1, "X-Spamd-Result", ""),
                new AddHeader("X-Spamd-Result", "default: False"), MilterReply.ACCEPT);
    }

    @Test
    void removingAHeaderThatIsNotThereSendsNothing() {
        List<MilterReply> replies = new VerdictReplies(DEFAULTS).forResult(
                result(Action.GREYLIST, null, null, List.of(HeaderChange.removeAll("X-Spam"))), Map.of());
        assertThat(replies).containsExactly(MilterReply.ACCEPT);
    }

    @Test
    void foldedValuesAreSentWithBareLineFeeds() {
        List<MilterReply> replies = new VerdictReplies(DEFAULTS).forResult(
                result(Action.NO_ACTION, null, null, List.of(HeaderChange.add("X-Spamd-Result", "a;\r\n\tB(1.00)"))), Map.of());
        assertThat(replies.get(0)).isEqualTo(new AddHeader("X-Spamd-Result", "a;\n\tB(1.00)"));
    }

    @Test
    void indexedAddsAreInsertsAndSetsAndNegativeRemovalsUseTheRightInstance() {
        List<HeaderChange> changes = List.of(HeaderChange.insert("Authentication-Results", "mx; none", 0),
                HeaderChange.remove("Received", -1),
                HeaderChange.set("X-Rspamd-Action", "no action"));
        List<MilterReply> replies = new VerdictReplies(DEFAULTS).forResult(result(Action.NO_ACTION, null, null, changes),
                Map.of("received", 3));
        assertThat(replies).containsExactly(new InsertHeader(0, "Authentication-Results", "mx; none"),
                new ChangeHeader(3, "Received", ""), new ChangeHeader(1, "X-Rspamd-Action", "no action"), MilterReply.ACCEPT);
    }

    @Test
    void rejectUsesTheForcedSmtpMessageElseTheConfiguredOne() {
        VerdictReplies v = new VerdictReplies(with(false, false, FallbackAction.ACCEPT));
        assertThat(v.forResult(result(Action.REJECT, "Gtube pattern", null, List.of()), Map.of()))
                .containsExactly(new ReplyCode("554 5.7.1 Gtube pattern"));
        assertThat(v.forResult(result(Action.REJECT, null, null, List.of(HeaderChange.add("X-A", "b"))), Map.of()))
                .containsExactly(new ReplyCode("554 5.7.1 Go away"));
    }

    @Test
    void rejectCanBecomeDiscardOrQuarantine() {
        assertThat(new VerdictReplies(with(true, false, FallbackAction.ACCEPT)).forResult(result(Action.REJECT, null, null, List.of()), Map.of()))
                .containsExactly(MilterReply.DISCARD);
        assertThat(new VerdictReplies(with(false, true, FallbackAction.ACCEPT))
                .forResult(result(Action.REJECT, null, null, List.of(HeaderChange.add("X-A", "b"))), Map.of()))
                .containsExactly(new AddHeader("X-A", "b"), new Quarantine("Spam message quarantined"), MilterReply.ACCEPT);
    }

    @Test
    void softRejectIsA451WithTheTempfailMessage() {
        VerdictReplies v = new VerdictReplies(with(false, false, FallbackAction.ACCEPT));
        assertThat(v.forResult(result(Action.SOFT_REJECT, null, null, List.of()), Map.of()))
                .containsExactly(new ReplyCode("451 4.7.1 Later please"));
        assertThat(v.forResult(result(Action.SOFT_REJECT, "Greylisted\r\nsneaky", null, List.of()), Map.of()))
                .containsExactly(new ReplyCode("451 4.7.1 Greylisted  sneaky"));
    }

    @Test
    void rewriteSubjectSendsTheSubjectEditOfTheListOnceAndNothingElse() {
        List<HeaderChange> changes = List.of(HeaderChange.add("X-Spam", "Yes"), HeaderChange.set("Subject", "*** SPAM *** hi"));
        assertThat(new VerdictReplies(DEFAULTS).forResult(result(Action.REWRITE_SUBJECT, null, "*** SPAM *** hi", changes),
                Map.of("subject", 1))).containsExactly(new AddHeader("X-Spam", "Yes"),
                new ChangeHeader(1, "Subject", "*** SPAM *** hi"), MilterReply.ACCEPT);
    }

    @Test
    void addHeaderTranslatesTheListWithoutAddingASpamHeaderOfItsOwn() {
        List<HeaderChange> changes = List.of(HeaderChange.removeAll("X-Spam-Flag"), HeaderChange.add("X-Spam-Flag", "Yes"));
        List<MilterReply> replies = new VerdictReplies(with(false, false, FallbackAction.ACCEPT))
                .forResult(result(Action.ADD_HEADER, null, null, changes), Map.of("x-spam-flag", 2, "x-spam", 1));
        assertThat(replies).containsExactly(new ChangeHeader(2, "X-Spam-Flag", ""), new ChangeHeader(1, "X-Spam-Flag", ""),
                new AddHeader("X-Spam-Flag", "Yes"), MilterReply.ACCEPT);
    }

    @Test
    void aRemovalRepeatedInTheListDeletesOnlyOnce() {
        List<MilterReply> replies = new VerdictReplies(DEFAULTS).forResult(result(Action.ADD_HEADER, null, null,
                List.of(HeaderChange.removeAll("X-Spam"), HeaderChange.removeAll("X-Spam"), HeaderChange.add("X-Spam", "Yes"))),
                Map.of("x-spam", 1));
        assertThat(replies).containsExactly(new ChangeHeader(1, "X-Spam", ""), new AddHeader("X-Spam", "Yes"), MilterReply.ACCEPT);
    }

    @Test
    void quarantineAndDiscardActions() {
        assertThat(new VerdictReplies(DEFAULTS).forResult(result(Action.QUARANTINE, null, null, List.of()), Map.of()))
                .containsExactly(new Quarantine("Spam message quarantined"), MilterReply.ACCEPT);
        assertThat(new VerdictReplies(DEFAULTS).forResult(result(Action.DISCARD, null, null, List.of()), Map.of()))
                .containsExactly(MilterReply.DISCARD);
    }

    @Test
    void fallbackFollowsTheSetting() {
        assertThat(new VerdictReplies(with(false, false, FallbackAction.ACCEPT)).fallback()).containsExactly(MilterReply.ACCEPT);
        assertThat(new VerdictReplies(with(false, false, FallbackAction.TEMPFAIL)).fallback())
                .containsExactly(new ReplyCode("451 4.7.1 Later please"));
        assertThat(new VerdictReplies(with(false, false, FallbackAction.REJECT)).fallback())
                .containsExactly(new ReplyCode("554 5.7.1 Go away"));
    }
}

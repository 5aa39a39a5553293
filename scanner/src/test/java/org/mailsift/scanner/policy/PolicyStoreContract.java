package org.mailsift.scanner.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.mailsift.scanner.policy.greylist.GreylistKeys;
import org.mailsift.scanner.policy.greylist.GreylistRecords;
import org.mailsift.scanner.policy.greylist.GreylistRecords.Kind;
import org.mailsift.scanner.policy.greylist.GreylistStore;
import org.mailsift.scanner.policy.replies.ReplyStore;

/** What every policy store (embedded, Redis) must do the same way: greylisting records and remembered replies. */
public abstract class PolicyStoreContract {
    protected static final long TIMEOUT = 300;
    protected static final long EXPIRE = 86_400;
    protected static final GreylistKeys FIRST = new GreylistKeys("rgbfirstbody", "rgmsendernet");
    protected static final GreylistKeys SECOND_BODY = new GreylistKeys("rgbsecondbody", "rgmsendernet");

    protected abstract GreylistStore greylist();

    protected abstract ReplyStore replies();

    private Kind check(GreylistKeys keys, long now) {
        return greylist().check(keys, now, TIMEOUT, EXPIRE, true).decide(now, TIMEOUT).kind();
    }

    @Test
    void aNewSenderIsRecordedThenTooEarlyUntilTheTimeoutThenPasses() {
        assertThat(check(FIRST, 1_000)).isEqualTo(Kind.NEW);
        GreylistRecords early = greylist().check(FIRST, 1_299, TIMEOUT, EXPIRE, true);
        assertThat(early).isEqualTo(new GreylistRecords(1_000L, 1_000L));
        assertThat(early.decide(1_299, TIMEOUT)).isEqualTo(new GreylistRecords.Decision(Kind.TOO_EARLY, null, 1_300));
        assertThat(greylist().check(FIRST, 1_300, TIMEOUT, EXPIRE, true).decide(1_300, TIMEOUT))
                .isEqualTo(new GreylistRecords.Decision(Kind.PASS, "body", 0));
        // a pass only extends the records: their time stays that of the first attempt
        assertThat(greylist().check(FIRST, 5_000, TIMEOUT, EXPIRE, true)).isEqualTo(new GreylistRecords(1_000L, 1_000L));
    }

    @Test
    void aCheckThatMayNotRecordWritesNothing() {
        assertThat(greylist().check(FIRST, 1_000, TIMEOUT, EXPIRE, false)).isEqualTo(GreylistRecords.NONE);
        assertThat(greylist().check(FIRST, 1_001, TIMEOUT, EXPIRE, false)).isEqualTo(GreylistRecords.NONE);
    }

    @Test
    void anotherMessageOfTheSameSenderWaitsForTheSenderRecordThenPassesOnIt() {
        assertThat(check(FIRST, 1_000)).isEqualTo(Kind.NEW);
        assertThat(check(SECOND_BODY, 1_100)).isEqualTo(Kind.TOO_EARLY);
        assertThat(greylist().check(SECOND_BODY, 1_400, TIMEOUT, EXPIRE, true).decide(1_400, TIMEOUT))
                .isEqualTo(new GreylistRecords.Decision(Kind.PASS, "meta", 0));
        // passing on the sender record creates no body record
        assertThat(greylist().check(SECOND_BODY, 1_401, TIMEOUT, EXPIRE, false)).isEqualTo(new GreylistRecords(null, 1_000L));
    }

    @Test
    void aValueThatIsNoTimestampCountsAsNoRecord() {
        replies().remember(FIRST.body(), "garbage", 60_000);
        assertThat(greylist().check(FIRST, 1_000, TIMEOUT, EXPIRE, false)).isEqualTo(GreylistRecords.NONE);
    }

    @Test
    void rememberedRepliesAreFoundInTheOrderAsked() {
        replies().remember("rrone", "abcdefgh", 60_000);
        replies().remember("rrtwo", "ijklmnop", 60_000);
        assertThat(replies().find(List.of("rrnone", "rrtwo", "rrone"))).isEqualTo(Arrays.asList(null, "ijklmnop", "abcdefgh"));
        replies().remember("rrone", "qrstuvwx", 60_000);
        assertThat(replies().find(List.of("rrone"))).containsExactly("qrstuvwx");
    }
}

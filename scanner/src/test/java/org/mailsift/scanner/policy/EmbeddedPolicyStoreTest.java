package org.mailsift.scanner.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mailsift.scanner.policy.greylist.EmbeddedGreylistStore;
import org.mailsift.scanner.policy.greylist.GreylistRecords;
import org.mailsift.scanner.policy.greylist.GreylistStore;
import org.mailsift.scanner.policy.replies.EmbeddedReplyStore;
import org.mailsift.scanner.policy.replies.ReplyStore;

class EmbeddedPolicyStoreTest extends PolicyStoreContract {
    @RegisterExtension
    final OpenPolicyStores stores = new OpenPolicyStores();
    private final SettableClock clock = stores.clock;

    @Override
    protected GreylistStore greylist() {
        return new EmbeddedGreylistStore(stores.get()::embedded);
    }

    @Override
    protected ReplyStore replies() {
        return new EmbeddedReplyStore(stores.get()::embedded);
    }

    @Test
    void recordsSurviveARestartOfTheDaemon() {
        greylist().check(FIRST, 1_000, TIMEOUT, EXPIRE, true);
        replies().remember("rrone", "abcdefgh", 60_000);
        stores.restart();
        assertThat(greylist().check(FIRST, 1_001, TIMEOUT, EXPIRE, false)).isEqualTo(new GreylistRecords(1_000L, 1_000L));
        assertThat(replies().find(List.of("rrone"))).containsExactly("abcdefgh");
    }

    @Test
    void recordsExpire() {
        greylist().check(FIRST, 1_000, TIMEOUT, EXPIRE, true);
        replies().remember("rrone", "abcdefgh", 60_000);
        clock.advance(Duration.ofSeconds(61));
        assertThat(replies().find(List.of("rrone"))).containsOnlyNulls();
        clock.advance(Duration.ofSeconds(EXPIRE));
        assertThat(greylist().check(FIRST, 1_000 + EXPIRE, TIMEOUT, EXPIRE, false)).isEqualTo(GreylistRecords.NONE);
    }
}

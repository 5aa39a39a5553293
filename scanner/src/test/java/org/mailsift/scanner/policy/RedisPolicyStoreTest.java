package org.mailsift.scanner.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mailsift.scanner.policy.greylist.GreylistRecords;
import org.mailsift.scanner.policy.greylist.GreylistStore;
import org.mailsift.scanner.policy.greylist.RedisGreylistStore;
import org.mailsift.scanner.policy.replies.RedisReplyStore;
import org.mailsift.scanner.policy.replies.ReplyStore;
import org.mailsift.scanner.store.redis.FlushedRedisConnection;

class RedisPolicyStoreTest extends PolicyStoreContract {
    @RegisterExtension
    static FlushedRedisConnection redis = new FlushedRedisConnection();

    @Override
    protected GreylistStore greylist() {
        return new RedisGreylistStore(redis.connection());
    }

    @Override
    protected ReplyStore replies() {
        return new RedisReplyStore(redis.connection());
    }

    @Test
    void recordsAreRspamdsKeysWithTheExpireAsTheirTtl() {
        greylist().check(FIRST, 1_000, TIMEOUT, EXPIRE, true);
        replies().remember("rrone", "abcdefgh", 60_000);
        String body = redis.connection().call(c -> c.get(FIRST.body()));
        long metaTtl = redis.connection().call(c -> c.ttl(FIRST.meta()));
        long replyTtl = redis.connection().call(c -> c.pttl("rrone"));
        assertThat(body).isEqualTo("1000");
        assertThat(metaTtl).isBetween(EXPIRE - 60, EXPIRE);
        assertThat(replyTtl).isBetween(1L, 60_000L);
    }

    @Test
    void aServerThatForgotItsScriptsGetsThemAgain() {
        greylist().check(FIRST, 1_000, TIMEOUT, EXPIRE, true);
        try (RedisClient client = RedisClient.create("redis://" + redis.server().address()); var admin = client.connect()) {
            admin.sync().scriptFlush();
        }
        assertThat(greylist().check(FIRST, 1_001, TIMEOUT, EXPIRE, true)).isEqualTo(new GreylistRecords(1_000L, 1_000L));
    }
}

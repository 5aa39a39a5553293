package org.mailsift.scanner.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mailsift.scanner.policy.greylist.GreylistRecords;
import org.mailsift.scanner.policy.greylist.GreylistStore;
import org.mailsift.scanner.policy.greylist.RedisGreylistStore;
import org.mailsift.scanner.policy.replies.RedisReplyStore;
import org.mailsift.scanner.policy.replies.ReplyStore;
import org.mailsift.scanner.store.redis.RedisConnection;
import org.mailsift.testsupport.RedisServerExtension;

class RedisPolicyStoreTest extends PolicyStoreContract {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();
    private RedisConnection connection;

    @BeforeEach
    void connect() {
        connection = RedisConnection.connect(redis.server().address(), null, 0, Duration.ofSeconds(2), "tests");
        connection.call(c -> c.flushall());
    }

    @AfterEach
    void close() {
        connection.close();
    }

    @Override
    protected GreylistStore greylist() {
        return new RedisGreylistStore(connection);
    }

    @Override
    protected ReplyStore replies() {
        return new RedisReplyStore(connection);
    }

    @Test
    void recordsAreRspamdsKeysWithTheExpireAsTheirTtl() {
        greylist().check(FIRST, 1_000, TIMEOUT, EXPIRE, true);
        replies().remember("rrone", "abcdefgh", 60_000);
        String body = connection.call(c -> c.get(FIRST.body()));
        long metaTtl = connection.call(c -> c.ttl(FIRST.meta()));
        long replyTtl = connection.call(c -> c.pttl("rrone"));
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

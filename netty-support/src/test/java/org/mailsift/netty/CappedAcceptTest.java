package org.mailsift.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.mailsift.core.net.ConnectionCaps;

import io.netty.channel.embedded.EmbeddedChannel;

class CappedAcceptTest {

    @Test
    void aConnectionOverTheCapIsClosedAndCountedAndItsPlaceComesBackAtClose() {
        AtomicInteger refused = new AtomicInteger();
        CappedAccept accept = new CappedAccept(new ConnectionCaps(1, 1), "test listener", refused::incrementAndGet);

        EmbeddedChannel first = new EmbeddedChannel();
        assertThat(accept.admit(first)).isTrue();
        EmbeddedChannel second = new EmbeddedChannel();
        assertThat(accept.admit(second)).isFalse();
        assertThat(second.isOpen()).isFalse();
        assertThat(refused.get()).isEqualTo(1);

        first.close();
        EmbeddedChannel third = new EmbeddedChannel();
        assertThat(accept.admit(third)).isTrue();
        assertThat(third.isOpen()).isTrue();
        assertThat(refused.get()).isEqualTo(1);
    }
}

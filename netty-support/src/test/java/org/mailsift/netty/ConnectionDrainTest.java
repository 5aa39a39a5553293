package org.mailsift.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

class ConnectionDrainTest {

    @Test
    void idleConnectionsAreClosedAtOnce() {
        ConnectionDrain drain = new ConnectionDrain(ch -> false);
        EmbeddedChannel idle = new EmbeddedChannel(drain);
        assertThat(drain.openConnections()).isEqualTo(1);

        drain.drain(Duration.ofMinutes(1));

        assertThat(idle.isOpen()).isFalse();
        assertThat(drain.openConnections()).isZero();
    }

    @Test
    void aConnectionInARequestKeepsItUntilItsAnswerIsOut() {
        AtomicInteger asked = new AtomicInteger();
        // the protocol handler is busy for its first three looks, then done
        ConnectionDrain drain = new ConnectionDrain(ch -> asked.incrementAndGet() <= 3);
        EmbeddedChannel serving = new EmbeddedChannel(drain);

        drain.drain(Duration.ofMinutes(1));

        assertThat(asked.get()).isEqualTo(4);
        assertThat(serving.isOpen()).isFalse();
    }

    @Test
    void aPeerStillSendingIsInARequestEvenBeforeItsHandlerIsBusy() {
        ConnectionDrain drain = new ConnectionDrain(ch -> false);
        EmbeddedChannel receiving = new EmbeddedChannel(drain);
        receiving.writeInbound(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));

        drain.drain(Duration.ofMinutes(1)); // bytes read within the last second: left until it falls quiet

        assertThat(receiving.isOpen()).isFalse();
    }

    @Test
    void aConnectionBusyPastTheBoundIsClosedAnyway() {
        ConnectionDrain drain = new ConnectionDrain(ch -> true);
        EmbeddedChannel stuck = new EmbeddedChannel(drain);

        drain.drain(Duration.ofMillis(50));

        assertThat(stuck.isOpen()).isFalse();
        assertThat(drain.openConnections()).isZero();
    }
}

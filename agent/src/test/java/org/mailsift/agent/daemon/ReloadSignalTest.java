package org.mailsift.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import sun.misc.Signal;

class ReloadSignalTest {
    @Test
    void aSighupToTheProcessRunsTheReloadInsteadOfKillingIt() throws Exception {
        CountDownLatch reloaded = new CountDownLatch(1);
        ReloadSignal.install(reloaded::countDown);

        Signal.raise(new Signal("HUP"));

        assertThat(reloaded.await(5, TimeUnit.SECONDS)).isTrue();
    }
}

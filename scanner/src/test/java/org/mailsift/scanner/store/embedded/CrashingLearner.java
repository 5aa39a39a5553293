package org.mailsift.scanner.store.embedded;

import java.nio.file.Path;

import org.mailsift.core.learn.LearnClass;

/**
 * Child JVM for {@link EmbeddedBayesStoreCrashTest}: learns message after message into the store and prints
 * "ack N" once learn N has returned (is acknowledged), until it is killed. A small journal limit makes it write
 * snapshots often, so the kill also lands inside snapshot writes.
 */
public final class CrashingLearner {
    private CrashingLearner() {
    }

    public static void main(String[] args) {
        EmbeddedBayesStore store = EmbeddedBayesStore.open(Path.of(args[0]), 16 * 1024);
        System.out.println("ready");
        System.out.flush();
        for (int i = 0; ; i++) {
            long[] tokens = new long[50];
            tokens[0] = 42; // in every message: its spam count must equal the number of learns
            for (int t = 1; t < tokens.length; t++) {
                tokens[t] = (long) i * 1000 + 100 + t; // never 42
            }
            store.learn(null, LearnClass.SPAM, "m" + i, tokens);
            System.out.println("ack " + i);
            System.out.flush();
        }
    }
}

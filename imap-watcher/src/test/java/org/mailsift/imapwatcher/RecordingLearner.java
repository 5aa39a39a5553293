package org.mailsift.imapwatcher;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.mailsift.core.learn.LearnClass;
import org.mailsift.core.learn.LearnOutcome;
import org.mailsift.core.learn.LearnRequest;
import org.mailsift.core.learn.LearnStatistics;
import org.mailsift.core.learn.Learner;

/** A Learner that records every call (class, user, Message-ID, time), so tests can assert exactly what was learned. */
final class RecordingLearner implements Learner {
    private static final Pattern MESSAGE_ID = Pattern.compile("(?im)^Message-ID:\\s*(<[^>]+>)");

    record Learned(LearnClass learnClass, String user, String messageId, String source, long atNanos) {
    }

    private final List<Learned> learned = new CopyOnWriteArrayList<>();
    private volatile RuntimeException failWith;
    private final java.util.concurrent.atomic.AtomicInteger failuresLeft = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public LearnOutcome learn(byte[] rawMessage, LearnRequest request) {
        attempts.incrementAndGet();
        RuntimeException f = failWith;
        if (f != null && failuresLeft.getAndDecrement() > 0) {
            throw f;
        }
        Matcher m = MESSAGE_ID.matcher(new String(rawMessage, StandardCharsets.UTF_8));
        String id = m.find() ? m.group(1) : null;
        learned.add(new Learned(request.learnClass(), request.user(), id, request.source(), System.nanoTime()));
        return new LearnOutcome(LearnOutcome.Status.LEARNED, id, "learned");
    }

    @Override
    public LearnStatistics statistics() {
        long spam = learned.stream().filter(l -> l.learnClass() == LearnClass.SPAM).count();
        return new LearnStatistics("recording", spam, learned.size() - spam, -1, -1, Map.of(), 0);
    }

    List<Learned> all() {
        return List.copyOf(learned);
    }

    List<Learned> of(String messageId) {
        return learned.stream().filter(l -> messageId.equals(l.messageId())).toList();
    }

    /** The next {@code times} learns throw {@code e} (a store that is down for a while). */
    void failWith(RuntimeException e, int times) {
        failuresLeft.set(times);
        failWith = e;
    }

    int attempts() {
        return attempts.get();
    }
}

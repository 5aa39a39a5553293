package org.mailsift.agent.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.mailsift.core.learn.LearnClass;
import org.mailsift.core.learn.LearnException;
import org.mailsift.core.learn.LearnOutcome;
import org.mailsift.core.learn.LearnRequest;
import org.mailsift.core.learn.LearnStatistics;
import org.mailsift.core.learn.Learner;
import org.slf4j.event.Level;

class LoggingLearnerTest {
    private static final byte[] MESSAGE = "Message-ID: <m1@example.org>\r\n\r\nbuy cheap pills now\r\n".getBytes(StandardCharsets.US_ASCII);

    /** Records requests and answers like a store that has seen nothing yet. */
    private static final class RecordingLearner implements Learner {
        final List<LearnRequest> requests = new ArrayList<>();

        @Override
        public LearnOutcome learn(byte[] rawMessage, LearnRequest request) {
            requests.add(request);
            if ("broken".equals(request.source())) {
                throw new LearnException("store unavailable", null);
            }
            return new LearnOutcome(LearnOutcome.Status.LEARNED, "m1@example.org", "learned");
        }

        @Override
        public LearnStatistics statistics() {
            return new LearnStatistics("embedded", requests.size(), 0, 0, 0, Map.of(), 0);
        }
    }

    @Test
    void aLearnFromTheWatcherIsLoggedWithUserClassSourceAndOutcome() {
        RecordingLearner store = new RecordingLearner();
        try (LogCapture log = new LogCapture("mailsift.learn")) {
            LearnOutcome outcome = new LoggingLearner(store, Optional.of(Level.INFO))
                    .learn(MESSAGE, new LearnRequest(LearnClass.SPAM, "alice", false, "imap-watcher"));

            assertThat(outcome.status()).isEqualTo(LearnOutcome.Status.LEARNED);
            assertThat(store.requests).hasSize(1);
            assertThat(log.lines()).singleElement().asString()
                    .matches("INFO learn user=alice class=spam source=imap-watcher status=learned msgid=m1@example.org time=\\d+ms")
                    .doesNotContain("pills");
        }
    }

    @Test
    void aFailedLearnIsLoggedAsAWarningAndStillThrown() {
        try (LogCapture log = new LogCapture("mailsift.learn")) {
            Learner learner = new LoggingLearner(new RecordingLearner(), Optional.of(Level.INFO));

            assertThatThrownBy(() -> learner.learn(MESSAGE, new LearnRequest(LearnClass.HAM, null, true, "broken")))
                    .isInstanceOf(LearnException.class);
            assertThat(log.lines()).singleElement().asString()
                    .startsWith("WARN learn user=- class=ham source=broken bulk status=failed")
                    .endsWith("error=\"store unavailable\"");
        }
    }

    @Test
    void learnLoggingCanBeSwitchedOffWhileStatisticsPassThrough() {
        RecordingLearner store = new RecordingLearner();
        try (LogCapture log = new LogCapture("mailsift.learn")) {
            Learner learner = new LoggingLearner(store, Optional.empty());
            learner.learn(MESSAGE, LearnRequest.of(LearnClass.SPAM, "cli"));

            assertThat(log.lines()).isEmpty();
            assertThat(learner.statistics().spamLearns()).isEqualTo(1);
        }
    }
}

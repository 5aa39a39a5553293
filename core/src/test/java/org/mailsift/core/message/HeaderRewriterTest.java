package org.mailsift.core.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.mailsift.core.scan.HeaderChange;

class HeaderRewriterTest {
    private static String apply(String msg, HeaderChange... changes) {
        return new String(HeaderRewriter.apply(msg.getBytes(StandardCharsets.UTF_8), List.of(changes)),
                StandardCharsets.UTF_8);
    }

    @Test
    void removeAllDeletesEveryInstanceIncludingFoldedLines() {
        assertThat(apply("X-Spam: yes\r\nFrom: a\r\nx-spam: also\r\n\tfolded\r\n\r\nbody\r\n", HeaderChange.removeAll("X-Spam")))
                .isEqualTo("From: a\r\n\r\nbody\r\n");
    }

    @Test
    void removeByIndexDeletesOnlyThatInstance() {
        assertThat(apply("A: 1\nA: 2\nA: 3\n\nb\n", new HeaderChange(HeaderChange.Kind.REMOVE, "A", null, 2)))
                .isEqualTo("A: 1\nA: 3\n\nb\n");
    }

    @Test
    void negativeRemovalCountsFromTheEndAndMissingInstancesAreLeftAlone() {
        assertThat(apply("A: 1\nA: 2\nA: 3\n\nb\n", HeaderChange.remove("A", -1))).isEqualTo("A: 1\nA: 2\n\nb\n");
        assertThat(apply("A: 1\nA: 2\n\nb\n", HeaderChange.remove("A", -2))).isEqualTo("A: 2\n\nb\n");
        assertThat(apply("A: 1\n\nb\n", HeaderChange.remove("A", 3), HeaderChange.remove("A", -2))).isEqualTo("A: 1\n\nb\n");
    }

    @Test
    void setReplacesTheFirstOrAppendsWhenMissing() {
        assertThat(apply("Subject: old\nSubject: older\n\nb\n", HeaderChange.set("Subject", "new")))
                .isEqualTo("Subject: new\nSubject: older\n\nb\n");
        assertThat(apply("From: a\n\nb\n", HeaderChange.set("X-Spam", "Yes"))).isEqualTo("From: a\nX-Spam: Yes\n\nb\n");
    }

    @Test
    void addAppendsAtTheEndOfTheHeaderBlockWithTheMessagesLineEnding() {
        assertThat(apply("From: a\n\nbody\n", HeaderChange.add("X-Spamd-Result", "default: False [0.00 / 15.00];\r\n\tA(0.00)[]")))
                .isEqualTo("From: a\nX-Spamd-Result: default: False [0.00 / 15.00];\n\tA(0.00)[]\n\nbody\n");
        assertThat(apply("From: a\r\n\r\nbody", HeaderChange.add("X-A", "1"), new HeaderChange(HeaderChange.Kind.ADD, "X-Top", "0", 0)))
                .isEqualTo("X-Top: 0\r\nFrom: a\r\nX-A: 1\r\n\r\nbody");
    }

    @Test
    void headersOnlyMessagesAndMboxLinesSurvive() {
        assertThat(apply("From x@y Sat Nov 21 2026\nFrom: a", HeaderChange.add("X-A", "1")))
                .isEqualTo("From x@y Sat Nov 21 2026\nFrom: a\nX-A: 1\n\n");
    }
}

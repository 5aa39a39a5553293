package org.mailsift.scanner.regexp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MatchLengthTest {
    @Test
    void boundedPatternsHaveABoundAndUnboundedOnesNone() {
        assertThat(MatchLength.of("click (here|below)")).isEqualTo(2 * 11);
        assertThat(MatchLength.of("\\b(100%|money[- ]back) guarantee\\b")).isEqualTo(2 * 20);
        assertThat(MatchLength.of("a{2,5}b?")).isEqualTo(2 * 6);
        assertThat(MatchLength.of("^(?i)x(?:yz)?$")).isEqualTo(2 * 3);
        assertThat(MatchLength.of("refinanc\\w+")).isEqualTo(-1);
        assertThat(MatchLength.of("a\\s*b")).isEqualTo(-1);
        assertThat(MatchLength.of("a{3,}")).isEqualTo(-1);
        assertThat(MatchLength.of("(a)\\1")).isEqualTo(-1);
        assertThat(MatchLength.of("[[:alpha:]]x")).isEqualTo(2 * 2);
        assertThat(MatchLength.of("(unbalanced")).isEqualTo(-1);
    }
}

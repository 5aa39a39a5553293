package org.mailsift.scanner.bayes.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** The evaluators split corpora with Python's random.Random(seed).shuffle; bayes-eval must reproduce it exactly. */
class PythonShuffleTest {

    private static List<Integer> shuffled(int n, long seed) {
        List<Integer> l = new ArrayList<>(IntStream.range(0, n).boxed().toList());
        PythonShuffle.shuffle(l, seed);
        return l;
    }

    @Test
    void shufflesAsCPythonDoesForSmallAndLargeSeeds() {
        // python3 -c "import random; l=list(range(1000)); random.Random(1).shuffle(l); print(l[:8], l[999])"
        assertThat(shuffled(1000, 1).subList(0, 8)).containsExactly(852, 836, 280, 575, 208, 609, 932, 725);
        assertThat(shuffled(1000, 1).get(999)).isEqualTo(137);
        assertThat(shuffled(1000, 0).subList(0, 8)).containsExactly(439, 621, 160, 549, 237, 389, 658, 507);
        assertThat(shuffled(1000, 20).subList(0, 8)).containsExactly(50, 689, 88, 454, 775, 385, 641, 502);
        // a seed wider than 32 bits goes through init_by_array with two key words
        assertThat(shuffled(1000, 123456789012L).subList(0, 8)).containsExactly(14, 400, 77, 163, 194, 903, 129, 186);
    }

    @Test
    void keepsEveryElementOnce() {
        assertThat(shuffled(4150, 7)).containsExactlyInAnyOrderElementsOf(IntStream.range(0, 4150).boxed().toList());
    }
}

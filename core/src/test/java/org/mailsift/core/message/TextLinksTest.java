package org.mailsift.core.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The text link finder's shortcuts (a word ending at its '.' or ':' skipped, "mailto:" compared from its 'm' and
 * ':', trimming by switch) find what the plain finder found: the same links, flags and hosts on random texts made of
 * the characters and words its reading turns on.
 */
class TextLinksTest {
    private static final String[] PIECES = {".", ":", "@", " ", "\n", "\u00a0", "(", ")", "<", ">", ",", ";", "!",
        "?", "*", "a", "x", "mailto:", "MAILTO:", "Mailto:b@c.org", "http://", "hxxp://", "www.", "example",
        ".com", ".zip", "/path", "e.g.", "3.5", "10:30", "user@", "@host", "\u00e9", "\u4e2d", "\u0130", "m", ":x",
        "Subject:", "end.", "[.]", "foo.bar"};

    @Test
    void shortcutsFindWhatThePlainFinderFound() {
        Random random = new Random(17);
        for (int t = 0; t < 40_000; t++) {
            StringBuilder sb = new StringBuilder();
            int pieces = random.nextInt(30);
            for (int k = 0; k < pieces; k++) {
                sb.append(PIECES[random.nextInt(PIECES.length)]);
            }
            String text = sb.toString();
            for (int max : new int[] {1, 2000}) {
                List<Link> fast = new ArrayList<>();
                TextLinks.find(text, new LinkFinder(max, fast));
                List<Link> plain = new ArrayList<>();
                PlainTextLinks.find(text, new LinkFinder(max, plain));
                assertThat(fast).as(text).isEqualTo(plain);
            }
        }
    }
}

package org.mailsift.core.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class DeobfuscationTest {
    private static final String[][] REPLACEMENTS = {
            {"hxxps", "https"}, {"hxxp", "http"}, {"[.]", "."}, {"(.)", "."}, {"{.}", "."}, {"[dot]", "."},
            {"(dot)", "."}, {"[:]", ":"}, {"[://]", "://"}};

    /** The plain definition: at every 'h' or bracket, the first replacement that fits, else the character. */
    private static String reference(String text) {
        if (text.indexOf('[') < 0 && text.indexOf('(') < 0 && text.indexOf('{') < 0
                && text.indexOf("xx") < 0 && text.indexOf("XX") < 0) {
            return text + "|0";
        }
        StringBuilder sb = new StringBuilder();
        int replaced = 0;
        outer:
        for (int i = 0; i < text.length(); ) {
            char c = text.charAt(i);
            if (c == 'h' || c == 'H' || c == '[' || c == '(' || c == '{') {
                for (String[] r : REPLACEMENTS) {
                    if (text.regionMatches(true, i, r[0], 0, r[0].length())) {
                        sb.append(r[1]);
                        i += r[0].length();
                        replaced++;
                        continue outer;
                    }
                }
            }
            sb.append(c);
            i++;
        }
        return sb + "|" + replaced;
    }

    @Test
    void obfuscatedLinksAreUndone() {
        Deobfuscation.Result r = Deobfuscation.undo("see hxxps://evil[.]example(dot)com/x and HXXP[:]//a{.}b");
        assertThat(plain(r)).isEqualTo("see https://evil.example.com/x and http://a.b|6");
        assertThat(r.at()).containsExactly(4, 16, 24, 35, 39, 43);
        assertThat(r.replacedIn(0, 4)).isFalse();
        assertThat(r.replacedIn(4, 5)).isTrue();
        assertThat(r.replacedIn(44, 46)).isFalse();
        assertThat(Deobfuscation.undo("plain (text) with [brackets]").replaced()).isZero();
    }

    @Test
    void sameTextAsThePlainDefinition() {
        List<String> texts = new ArrayList<>(List.of("", "x", "hx", "hxxhxxp", "xxhxxps", "[[.]]", "h[x", "Hxxp(.)"));
        Random random = new Random(11);
        String alphabet = "hHxXp.[](){}:/dots a";
        for (int n = 0; n < 50_000; n++) {
            StringBuilder sb = new StringBuilder();
            for (int k = random.nextInt(24); k > 0; k--) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            texts.add(sb.toString());
        }
        for (String t : texts) {
            assertThat(plain(Deobfuscation.undo(t))).as(t).isEqualTo(reference(t));
        }
    }

    private static String plain(Deobfuscation.Result r) {
        return r.text() + "|" + r.replaced();
    }
}

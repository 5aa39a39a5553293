package org.mailsift.core.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** Parses every message of the shared corpus (skipped when it is absent). */
class CorpusParseTest {
    @Test
    void everyCorpusMessageParses() throws IOException {
        String corpus = System.getProperty("mailsift.corpus");
        assumeTrue(corpus != null && Files.isDirectory(Path.of(corpus)), "corpus not present");
        List<Path> files;
        try (Stream<Path> s = Files.walk(Path.of(corpus))) {
            files = s.filter(p -> p.toString().endsWith(".eml")).toList();
        }
        int withText = 0;
        for (Path f : files) {
            ParsedMessage m = MessageParser.parse(Files.readAllBytes(f));
            assertThat(m.headers()).as(f.toString()).isNotEmpty();
            if (!m.textParts().isEmpty()) {
                withText++;
            }
        }
        assertThat(withText).isGreaterThan(files.size() * 9 / 10);
    }
}

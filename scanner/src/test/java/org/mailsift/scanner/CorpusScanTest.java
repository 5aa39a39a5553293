package org.mailsift.scanner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.scan.ScanResult;

/** Scans every message of the shared SpamAssassin corpus (skipped when absent). */
class CorpusScanTest {
    @Test
    void everyCorpusMessageScansWithAResultAndHeaders() throws IOException {
        String corpus = System.getProperty("mailsift.corpus");
        assumeTrue(corpus != null && Files.isDirectory(Path.of(corpus)), "corpus not present");
        List<Path> files;
        try (Stream<Path> s = Files.walk(Path.of(corpus))) {
            files = s.filter(p -> p.toString().endsWith(".eml")).sorted().toList();
        }
        ScanEngine engine = EngineFactory.create(EngineSettings.DEFAULTS, List.of(), Fixtures.CLOCK);
        int spamFlagged = 0;
        for (Path f : files) {
            ScanResult r = engine.scan(Files.readAllBytes(f), Envelope.EMPTY);
            assertThat(r.headerChanges()).as(f.toString()).anySatisfy(c -> assertThat(c.name()).isEqualTo("X-Spamd-Result"));
            if (f.toString().contains("/spam/") && r.score() > 2) {
                spamFlagged++;
            }
        }
        assertThat(files).hasSizeGreaterThan(1000);
        assertThat(spamFlagged).isPositive();
    }
}

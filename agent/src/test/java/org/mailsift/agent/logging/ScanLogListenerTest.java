package org.mailsift.agent.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.ScanListener.ScanSource;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.core.scan.SymbolResult;
import org.slf4j.event.Level;

class ScanLogListenerTest {
    private static final byte[] BODY = "Subject: hi\r\n\r\nmy secret body text\r\n".getBytes(StandardCharsets.US_ASCII);

    private static ScanResult addHeaderVerdict() {
        return new ScanResult(6.5, 15, Action.ADD_HEADER, Map.of("add header", 6.0),
                List.of(new SymbolResult("BAYES_SPAM", 5.1, 5.1, "", List.of("99.97%")),
                        new SymbolResult("MISSING_DATE", 1.0, 1.0, "", List.of())),
                "abc@example.org", null, null, List.of(), 0.012, null);
    }

    private static Envelope milterEnvelope(String mailFrom) {
        return Envelope.builder().queueId("4XyZ12").clientIp("192.0.2.7").mailFrom(mailFrom)
                .addRcpt("bob@example.test").build();
    }

    @Test
    void aScannedMessageGivesOneLineWithQueueIdActionScoreSymbolsAndTime() {
        try (LogCapture log = new LogCapture("mailsift.scan")) {
            new ScanLogListener(Optional.of(Level.INFO)).scanned(ScanSource.MILTER, milterEnvelope("alice@example.org"), BODY, addHeaderVerdict());

            assertThat(log.lines()).containsExactly("INFO scan qid=4XyZ12 source=milter ip=192.0.2.7 from=alice@example.org"
                    + " rcpt=bob@example.test user=- msgid=abc@example.org action=\"add header\" score=6.50/15.00"
                    + " symbols=BAYES_SPAM(5.10),MISSING_DATE(1.00) time=12ms");
        }
    }

    @Test
    void neitherTheBodyNorSymbolOptionsReachTheLog() {
        try (LogCapture log = new LogCapture("mailsift.scan")) {
            new ScanLogListener(Optional.of(Level.INFO)).scanned(ScanSource.HTTP, Envelope.EMPTY, BODY, addHeaderVerdict());

            assertThat(String.join("\n", log.lines())).doesNotContain("secret").doesNotContain("99.97%");
        }
    }

    @Test
    void aSenderWithALineBreakCannotForgeASecondLogLine() {
        try (LogCapture log = new LogCapture("mailsift.scan")) {
            new ScanLogListener(Optional.of(Level.INFO)).scanned(ScanSource.MILTER,
                    milterEnvelope("x@y\nINFO scan qid=FORGED action=\"no action\""), BODY, addHeaderVerdict());

            assertThat(log.lines()).hasSize(1);
            assertThat(log.lines().get(0)).doesNotContain("\n").contains("from=x@y_INFO_scan_qid=FORGED");
        }
    }

    @Test
    void theConfiguredLevelIsUsedAndOffLogsNothing() {
        try (LogCapture log = new LogCapture("mailsift.scan")) {
            new ScanLogListener(Optional.of(Level.DEBUG)).scanned(ScanSource.CLI, Envelope.EMPTY, BODY, addHeaderVerdict());
            new ScanLogListener(Optional.empty()).scanned(ScanSource.CLI, Envelope.EMPTY, BODY, addHeaderVerdict());

            assertThat(log.lines()).singleElement().asString().startsWith("DEBUG scan qid=- source=cli");
        }
    }
}

package org.mailsift.scanner;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.mailsift.core.message.Envelope;
import org.mailsift.core.scan.ScanResult;

/** Test messages from src/test/resources/messages and an engine with a fixed clock (2026-11-21 10:30 UTC). */
public final class Fixtures {
    public static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T10:30:00Z"), ZoneOffset.UTC);

    private Fixtures() {
    }

    public static byte[] message(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/messages/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ScanEngine engine() {
        return engine(EngineSettings.DEFAULTS);
    }

    public static ScanEngine engine(EngineSettings settings) {
        return new ScanEngine(org.mailsift.scanner.rules.StandardRules.create(settings.options(), CLOCK), settings,
                org.mailsift.core.message.ParseLimits.DEFAULT, "scanner.test");
    }

    public static ScanResult scan(String name) {
        return engine().scan(message(name), Envelope.EMPTY);
    }

    public static ScanResult scan(String name, Envelope envelope) {
        return engine().scan(message(name), envelope);
    }

    public static List<String> names(ScanResult r) {
        return r.symbols().stream().map(s -> s.name()).toList();
    }
}

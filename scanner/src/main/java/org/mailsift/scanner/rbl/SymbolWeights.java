package org.mailsift.scanner.rbl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.mailsift.core.config.UclObject;
import org.mailsift.core.config.UclParser;
import org.mailsift.core.config.UclValue;
import org.mailsift.scanner.rules.SymbolDefinition;

/**
 * Default weights, groups and descriptions of network-check symbols, read from a packaged file in the scores
 * format ({@code NAME { weight = 4.0; group = "spamhaus"; description = "..."; }}). Symbols not in it (a list an
 * admin added) weigh 0 until groups.conf / scores.d give them a weight, as in Rspamd.
 */
public final class SymbolWeights {
    private final Map<String, SymbolDefinition> known;

    private SymbolWeights(Map<String, SymbolDefinition> known) {
        this.known = known;
    }

    public static SymbolWeights load(String resource) {
        try (InputStream in = SymbolWeights.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            UclObject o = new UclParser(Map.of()).parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource, null);
            Map<String, SymbolDefinition> m = new HashMap<>();
            for (String name : o.keys()) {
                UclValue v = o.get(name).orElseThrow();
                if (v instanceof UclObject s) {
                    m.put(name, new SymbolDefinition(name, s.getString("group", "rbl"), s.getDouble("weight", 0),
                            s.getString("description", name)));
                }
            }
            return new SymbolWeights(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public SymbolDefinition definition(String name, String defaultGroup, String defaultDescription) {
        SymbolDefinition d = known.get(name);
        return d != null ? d : new SymbolDefinition(name, defaultGroup, 0, defaultDescription);
    }
}

package org.mailsift.scanner.selectors;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.mailsift.core.message.Envelope;
import org.mailsift.core.message.ParsedMessage;
import org.mailsift.core.scan.SymbolResult;
import org.mailsift.scanner.rules.ScanContext;

/**
 * What a selector reads: the message, its envelope and, after scoring (Rspamd's post-filters), the symbols that fired.
 * One per scan; not shared between threads. Values that cost a parse (URLs, e-mail addresses, attachment contents)
 * are computed once per input and shared by every selector that reads them.
 */
public interface SelectorInput {
    ParsedMessage message();

    Envelope envelope();

    /** A symbol of this scan's result; empty before scoring (prefilters) or when it did not fire. */
    default Optional<SymbolResult> symbol(String name) {
        return Optional.empty();
    }

    /** The time the message arrived (Rspamd's connect time); {@code time('connect')} reads it. */
    default Instant now() {
        return Instant.now();
    }

    /** This filter's host name ({@code rspamd_hostname}). */
    default String filterHostname() {
        return "localhost";
    }

    /** The value of {@code key} (a name, or a selector part itself) computed once for this input. */
    <T> T memo(Object key, Supplier<T> compute);

    static SelectorInput of(ParsedMessage message, Envelope envelope) {
        return new Basic(message, envelope == null ? Envelope.EMPTY : envelope, name -> Optional.empty(), Instant.now());
    }

    static SelectorInput of(ScanContext ctx) {
        return of(ctx.message(), ctx.envelope());
    }

    /**
     * @param symbols the scan's symbols by name (Rspamd's task:get_symbol), for selectors evaluated after scoring
     * @param now     arrival time of the message
     */
    static SelectorInput of(ParsedMessage message, Envelope envelope,
                            java.util.function.Function<String, Optional<SymbolResult>> symbols, Instant now) {
        return new Basic(message, envelope == null ? Envelope.EMPTY : envelope, symbols, now);
    }

    /** The plain input: memoizes in a map. */
    final class Basic implements SelectorInput {
        private final ParsedMessage message;
        private final Envelope envelope;
        private final java.util.function.Function<String, Optional<SymbolResult>> symbols;
        private final Instant now;
        private final Map<Object, Object> memo = new HashMap<>();

        Basic(ParsedMessage message, Envelope envelope,
              java.util.function.Function<String, Optional<SymbolResult>> symbols, Instant now) {
            this.message = message;
            this.envelope = envelope;
            this.symbols = symbols;
            this.now = now;
        }

        @Override
        public ParsedMessage message() {
            return message;
        }

        @Override
        public Envelope envelope() {
            return envelope;
        }

        @Override
        public Optional<SymbolResult> symbol(String name) {
            return symbols.apply(name);
        }

        @Override
        public Instant now() {
            return now;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T memo(Object key, Supplier<T> compute) {
            Object v = memo.get(key);
            if (v == null && !memo.containsKey(key)) {
                v = compute.get();
                memo.put(key, v);
            }
            return (T) v;
        }
    }
}

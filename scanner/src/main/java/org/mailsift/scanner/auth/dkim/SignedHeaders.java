package org.mailsift.scanner.auth.dkim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.mailsift.scanner.auth.RawMessage;

/**
 * Rspamd's {@code sign_headers} list: {@code name} signs every instance present, {@code (o)name} over-signs (every
 * instance plus one more, so nobody can add one later), {@code (x)name} over-signs only when the header exists.
 */
public record SignedHeaders(List<Entry> entries) {
    public record Entry(String name, Mode mode) {
    }

    public enum Mode { PRESENT, OVERSIGN, OVERSIGN_IF_PRESENT }

    /** Rspamd 3.x's default. */
    public static final String RSPAMD_DEFAULT = "(o)from:(x)sender:(o)reply-to:(o)subject:(x)date:(x)message-id:"
            + "(o)to:(o)cc:(x)mime-version:(x)content-type:(x)content-transfer-encoding:resent-to:resent-cc:"
            + "resent-from:resent-sender:resent-message-id:(x)in-reply-to:(x)references:list-id:list-help:"
            + "list-owner:list-unsubscribe:list-unsubscribe-post:list-subscribe:list-post:(x)openpgp:(x)autocrypt";

    public static SignedHeaders parse(String spec) {
        List<Entry> out = new ArrayList<>();
        for (String raw : spec.split(":")) {
            String s = raw.strip().toLowerCase(Locale.ROOT);
            Mode mode = Mode.PRESENT;
            if (s.startsWith("(o)")) {
                mode = Mode.OVERSIGN;
                s = s.substring(3);
            } else if (s.startsWith("(x)")) {
                mode = Mode.OVERSIGN_IF_PRESENT;
                s = s.substring(3);
            }
            if (!s.isEmpty() && s.matches("[!-9;-~]+")) {
                out.add(new Entry(s, mode));
            }
        }
        return new SignedHeaders(List.copyOf(out));
    }

    /** The h= list for this message. */
    public List<String> forMessage(RawMessage message) {
        List<String> h = new ArrayList<>();
        for (Entry e : entries) {
            int n = message.fields(e.name()).size();
            int times = switch (e.mode()) {
                case PRESENT -> n;
                case OVERSIGN -> n + 1;
                case OVERSIGN_IF_PRESENT -> n == 0 ? 0 : n + 1;
            };
            for (int i = 0; i < times; i++) {
                h.add(e.name());
            }
        }
        if (!h.contains("from")) {
            h.add(0, "from");
        }
        return h;
    }
}

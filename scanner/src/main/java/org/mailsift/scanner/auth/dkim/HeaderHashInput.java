package org.mailsift.scanner.auth.dkim;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.mailsift.scanner.auth.RawMessage;

/**
 * What DKIM and ARC sign: the selected header fields canonicalized (RFC 6376 section 5.4.2: for a name listed n
 * times, the n bottom-most instances, bottom first; a name listed more often than it occurs signs "nothing", which
 * is how over-signing works), then the signature field itself with an empty b=. Canonical bodies are computed once
 * per message and algorithm, however many signatures ask.
 */
public final class HeaderHashInput {
    private final RawMessage message;
    private final Map<Canonicalization, byte[]> canonicalBodies = new EnumMap<>(Canonicalization.class);

    public HeaderHashInput(RawMessage message) {
        this.message = message;
    }

    public RawMessage message() {
        return message;
    }

    public synchronized byte[] canonicalBody(Canonicalization c) {
        return canonicalBodies.computeIfAbsent(c, k -> k.body(message.source(), message.bodyStart()));
    }

    /** The bytes the signature covers; {@code signatureField} is the signature header as written (b= kept). */
    public byte[] headers(List<String> signed, Canonicalization c, String signatureField) {
        return headers(message.fields(), signed, c, signatureField);
    }

    public static byte[] headers(List<RawMessage.Field> fields, List<String> signed, Canonicalization c,
                                 String signatureField) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        Map<String, Integer> used = new HashMap<>();
        for (String name : signed) {
            String lower = name.toLowerCase(Locale.ROOT);
            int skip = used.merge(lower, 1, Integer::sum) - 1;
            for (int i = fields.size() - 1; i >= 0; i--) {
                RawMessage.Field f = fields.get(i);
                if (f.name().equalsIgnoreCase(lower) && skip-- == 0) { // Latin-1 text: the same as lowerName().equals
                    out.writeBytes(c.header(f.text()).getBytes(StandardCharsets.ISO_8859_1));
                    break;
                }
            }
        }
        String sig = c.header(withoutSignatureValue(signatureField));
        out.writeBytes(sig.substring(0, sig.length() - 2).getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    /** The field with the value of its b= tag removed (everything else byte for byte). */
    public static String withoutSignatureValue(String field) {
        int colon = field.indexOf(':');
        int pos = colon + 1;
        while (pos <= field.length()) {
            int semi = field.indexOf(';', pos);
            int end = semi < 0 ? field.length() : semi;
            int eq = field.indexOf('=', pos);
            if (eq >= 0 && eq < end && TagList.strip(field.substring(pos, eq)).equals("b")) {
                return field.substring(0, eq + 1) + field.substring(end);
            }
            if (semi < 0) {
                break;
            }
            pos = semi + 1;
        }
        return field;
    }
}

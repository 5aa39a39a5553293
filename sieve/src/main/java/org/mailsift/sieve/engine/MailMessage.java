package org.mailsift.sieve.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.mailsift.core.message.HeaderFields;
import org.mailsift.core.message.HeaderRewriter;
import org.mailsift.core.message.MessageParser;
import org.mailsift.core.message.ParsedMessage;
import org.mailsift.core.message.PartBody;
import org.mailsift.core.scan.HeaderChange;

/**
 * A message as delivered: its raw bytes plus the header fields, parsed once. Header values are unfolded;
 * {@link #header(String)} also decodes RFC 2047 encoded words, as Sieve's header test requires.
 * A leading mbox "From " line (Postfix's local(8) prepends one for mailbox_command) is removed.
 */
public final class MailMessage {
    private static final int MAX_BODY_TEXT = 1 << 20;

    private final byte[] raw;
    private final List<Field> fields;
    private final int bodyOffset;
    /** Core's parse of the MIME structure, made at the first body test (most scripts never ask). */
    private volatile ParsedMessage parsed;

    /**
     * One header field; {@code value} is unfolded but not decoded. {@code original} is the field as received
     * (Latin-1 view of the bytes, folding and line ending included).
     */
    public record Field(String name, String value, String original) {
    }

    private MailMessage(byte[] raw, List<Field> fields, int bodyOffset) {
        this.raw = raw;
        this.fields = List.copyOf(fields);
        this.bodyOffset = bodyOffset;
    }

    public static MailMessage parse(byte[] input) {
        byte[] raw = stripMboxFromLine(input);
        // split by core's one header splitter; lines without a colon are not fields for Sieve
        HeaderFields.RawBlock block = HeaderFields.split(raw, 0, raw.length);
        List<Field> fields = new ArrayList<>(block.fields().size());
        for (HeaderFields.RawField f : block.fields()) {
            if (!f.name().isEmpty()) {
                String text = new String(raw, f.from(), f.to() - f.from(), StandardCharsets.ISO_8859_1);
                String value = text.substring(text.indexOf(':') + 1).replace("\r\n", "").replace("\n", "").trim();
                // header bytes are read as Latin-1; re-read them as UTF-8 where they are valid (RFC 6532 headers)
                fields.add(new Field(f.name(), utf8IfValid(value), text));
            }
        }
        return new MailMessage(raw, fields, block.bodyStart());
    }

    private static String utf8IfValid(String latin1) {
        byte[] b = latin1.getBytes(StandardCharsets.ISO_8859_1);
        var decoder = StandardCharsets.UTF_8.newDecoder();
        try {
            return decoder.decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return latin1;
        }
    }

    private static byte[] stripMboxFromLine(byte[] input) {
        if (input.length > 5 && input[0] == 'F' && input[1] == 'r' && input[2] == 'o' && input[3] == 'm' && input[4] == ' ') {
            int nl = 0;
            while (nl < input.length && input[nl] != '\n') {
                nl++;
            }
            byte[] out = new byte[Math.max(0, input.length - nl - 1)];
            System.arraycopy(input, Math.min(nl + 1, input.length), out, 0, out.length);
            return out;
        }
        return input;
    }

    public byte[] raw() {
        return raw;
    }

    public int size() {
        return raw.length;
    }

    public List<Field> fields() {
        return fields;
    }

    /** Decoded values of every field named {@code name} (case-insensitive), in order. */
    public List<String> header(String name) {
        List<String> out = new ArrayList<>();
        String wanted = name.trim();
        for (Field f : fields) {
            if (f.name().equalsIgnoreCase(wanted)) {
                out.add(HeaderFields.decodeWords(f.value()));
            }
        }
        return out;
    }

    /** Undecoded (but unfolded) values, for address parsing. */
    public List<String> rawHeader(String name) {
        return fields.stream().filter(f -> f.name().equalsIgnoreCase(name.trim())).map(Field::value).toList();
    }

    public Optional<String> firstHeader(String name) {
        List<String> v = header(name);
        return v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    public List<String> headerNames() {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        fields.forEach(f -> names.add(f.name()));
        return List.copyOf(names);
    }

    public String contentType() {
        return firstHeader("Content-Type").map(v -> v.split(";", 2)[0].trim().toLowerCase(Locale.ROOT)).orElse("text/plain");
    }

    /** The body bytes, undecoded. */
    public byte[] body() {
        byte[] b = new byte[raw.length - bodyOffset];
        System.arraycopy(raw, bodyOffset, b, 0, b.length);
        return b;
    }

    /**
     * The decoded text of the parts whose content type matches one of {@code types} ("text" matches text/*, ""
     * matches every part), joined by newlines, bounded to 1 MiB. Used by the body test. The parts are core's parser's
     * (the one MIME parser; {@link ParsedMessage#partBodies()}), parsed at the first body test.
     */
    public String text(List<String> types) {
        StringBuilder out = new StringBuilder();
        for (PartBody part : parsed().partBodies()) {
            if (typeMatches(part.contentType(), types)) {
                out.append(part.text(MAX_BODY_TEXT)).append('\n');
                if (out.length() > MAX_BODY_TEXT) {
                    break;
                }
            }
        }
        return out.toString();
    }

    private ParsedMessage parsed() {
        ParsedMessage p = parsed;
        if (p == null) {
            p = MessageParser.parse(raw);
            parsed = p;
        }
        return p;
    }

    private static boolean typeMatches(String type, List<String> wanted) {
        for (String w : wanted) {
            String lw = w.toLowerCase(Locale.ROOT);
            if (lw.isEmpty() || lw.equals(type) || (!lw.contains("/") && type.startsWith(lw + "/"))) {
                return true;
            }
        }
        return false;
    }

    /** A copy with header edits applied by the core applier, exactly as every other verdict path applies them. */
    public MailMessage withHeaderChanges(List<HeaderChange> changes) {
        return parse(HeaderRewriter.apply(raw, changes));
    }

}

package org.mailsift.core.message;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.mailsift.core.scan.HeaderChange;

/**
 * The one applier of a verdict's {@link HeaderChange}s to raw message bytes, used by every path that writes a verdict
 * into a message ({@code scan --mime}, {@code filter}, {@code deliver}, the verdict seal); it gives the bytes an MTA
 * holds after the milter's translation of the same list (see HeaderChange for the index meanings). Untouched fields
 * keep their exact bytes and the body is copied untouched; new values use the message's own line ending (CRLF or
 * LF), including inside folded values.
 */
public final class HeaderRewriter {
    private HeaderRewriter() {
    }

    /** One header field: its name and the exact bytes of all its lines (src[from, to)), including the line ending. */
    private record Field(String name, byte[] src, int from, int to) {
        Field(String name, byte[] bytes) {
            this(name, bytes, 0, bytes.length);
        }

        byte[] bytes() {
            return from == 0 && to == src.length ? src : java.util.Arrays.copyOfRange(src, from, to);
        }
    }

    public static byte[] apply(byte[] raw, List<HeaderChange> changes) {
        int offset = 0;
        // keep an mbox "From " line in front, untouched
        if (raw.length >= 5 && raw[0] == 'F' && raw[1] == 'r' && raw[2] == 'o' && raw[3] == 'm' && raw[4] == ' ') {
            int nl = HeaderFields.indexOf(raw, (byte) '\n', 0, raw.length);
            offset = nl < 0 ? raw.length : nl + 1;
        }
        HeaderFields.RawBlock block = HeaderFields.split(raw, offset, raw.length);
        List<Field> fields = new ArrayList<>(block.fields().size() + 8);
        for (HeaderFields.RawField f : block.fields()) {
            fields.add(new Field(f.name(), raw, f.from(), f.to()));
        }
        int firstNl = HeaderFields.indexOf(raw, (byte) '\n', 0, raw.length);
        boolean sawNewline = firstNl >= 0;
        boolean crlf = firstNl > 0 && raw[firstNl - 1] == '\r';
        int bodyStart = block.separator();
        boolean hasSeparator = block.hasSeparator();
        String newline = crlf || !sawNewline ? "\r\n" : "\n";
        if (!fields.isEmpty()) {
            // a header block that ends without a line ending (headers-only message) gets one before additions
            Field last = fields.get(fields.size() - 1);
            byte[] lb = last.bytes();
            if (lb.length == 0 || lb[lb.length - 1] != '\n') {
                fields.set(fields.size() - 1, new Field(last.name(), concat(lb, newline.getBytes(StandardCharsets.US_ASCII), 0,
                        newline.length())));
            }
        }
        for (HeaderChange c : changes) {
            switch (c.kind()) {
                case REMOVE -> remove(fields, c.name(), c.index());
                case SET -> set(fields, c, newline);
                case ADD -> {
                    Field f = field(c.name(), c.value(), newline);
                    if (c.index() >= 0 && c.index() < fields.size()) {
                        fields.add(c.index(), f);
                    } else {
                        fields.add(f);
                    }
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + 512);
        out.write(raw, 0, offset);
        for (Field f : fields) {
            out.write(f.src(), f.from(), f.to() - f.from());
        }
        if (hasSeparator) {
            out.write(raw, bodyStart, raw.length - bodyStart);
        } else {
            byte[] nl = newline.getBytes(StandardCharsets.US_ASCII);
            out.write(nl, 0, nl.length);
        }
        return out.toByteArray();
    }

    private static void remove(List<Field> fields, String name, int index) {
        if (index == 0) {
            fields.removeIf(f -> f.name().equalsIgnoreCase(name));
            return;
        }
        int count = (int) fields.stream().filter(f -> f.name().equalsIgnoreCase(name)).count();
        int want = index > 0 ? index : count + index + 1; // negative counts from the end, -1 = the last
        int seen = 0;
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equalsIgnoreCase(name) && ++seen == want) {
                fields.remove(i);
                return;
            }
        }
    }

    private static void set(List<Field> fields, HeaderChange c, String newline) {
        int want = c.index();
        int seen = 0;
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equalsIgnoreCase(c.name()) && ++seen == want) {
                fields.set(i, field(c.name(), c.value(), newline));
                return;
            }
        }
        fields.add(field(c.name(), c.value(), newline));
    }

    private static Field field(String name, String value, String newline) {
        String v = value == null ? "" : value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", newline);
        return new Field(name, (name + ": " + v + newline).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] concat(byte[] a, byte[] src, int from, int to) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + (to - from));
        System.arraycopy(src, from, out, a.length, to - from);
        return out;
    }
}

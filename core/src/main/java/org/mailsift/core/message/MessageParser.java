package org.mailsift.core.message;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses raw message bytes once into a {@link ParsedMessage}. A streaming parser over the byte array (no copies of
 * the structure, no exceptions for bad input): header blocks, multipart boundaries, nested message/rfc822,
 * transfer decodings and charsets. Every limit in {@link ParseLimits} is enforced; whatever goes wrong is recorded
 * in {@link ParsedMessage#damage()} and the parse still returns.
 * <p>
 * Hand-written rather than jakarta.mail's MimeMessage: it is several times faster on the corpus, and bounding
 * depth, part count, line length and time is direct here. jakarta.mail still decodes RFC 2047 words.
 */
public final class MessageParser {
    private final ParseLimits limits;

    public MessageParser(ParseLimits limits) {
        this.limits = limits;
    }

    public static ParsedMessage parse(byte[] raw) {
        return new MessageParser(ParseLimits.DEFAULT).parseMessage(raw);
    }

    public ParsedMessage parseMessage(byte[] raw) {
        byte[] bytes = stripMboxFromLine(raw);
        Run run = new Run(bytes, limits);
        run.entity(0, bytes.length, 0, false, true);
        return new ParsedMessageData(bytes, run.topHeaders, run.textParts, run.attachments, run.anchors,
                limits.maxUrls(), run.partTypes, run.parts, run.partBodies, run.damage);
    }

    /** Strips a leading mbox "From sender date" line (and a stray ">From " is left alone). */
    static byte[] stripMboxFromLine(byte[] raw) {
        if (raw.length >= 5 && raw[0] == 'F' && raw[1] == 'r' && raw[2] == 'o' && raw[3] == 'm' && raw[4] == ' ') {
            int nl = HeaderFields.indexOf(raw, (byte) '\n', 0, raw.length);
            if (nl < 0) {
                return new byte[0];
            }
            return java.util.Arrays.copyOfRange(raw, nl + 1, raw.length);
        }
        return raw;
    }

    /** State of one parse. */
    private static final class Run {
        final byte[] b;
        final ParseLimits limits;
        final long deadline;
        List<ParsedMessage.Header> topHeaders = List.of();
        final List<ParsedMessage.TextPart> textParts = new ArrayList<>();
        final List<ParsedMessage.Attachment> attachments = new ArrayList<>();
        /** Per text part, the a/area hrefs the HTML renderer met (the first of the message's links, read lazily). */
        final List<List<String>> anchors = new ArrayList<>();
        final List<String> partTypes = new ArrayList<>();
        final List<ParsedMessage.Part> parts = new ArrayList<>();
        final List<PartBody> partBodies = new ArrayList<>();
        final Set<String> damage = new LinkedHashSet<>();
        int entities;
        boolean stopped;

        Run(byte[] b, ParseLimits limits) {
            this.b = b;
            this.limits = limits;
            this.deadline = System.nanoTime() + limits.timeBudget().toNanos();
        }

        void entity(int start, int end, int depth, boolean inAlternative, boolean top) {
            if (stopped) {
                return;
            }
            if (++entities > limits.maxParts()) {
                damage.add("too many parts");
                stopped = true;
                return;
            }
            if ((entities & 15) == 0 && System.nanoTime() > deadline) {
                damage.add("time limit");
                stopped = true;
                return;
            }
            HeaderFields.Block block = HeaderFields.parse(b, start, end, limits, damage);
            if (top) {
                topHeaders = block.headers();
            }
            String ctHeader = first(block.headers(), "Content-Type");
            HeaderParams ct = HeaderParams.parse(ctHeader);
            String type = ct.value();
            boolean declared = ctHeader != null;
            boolean broken = ct.broken();
            if (!declared || type.isEmpty()) {
                type = "text/plain";
            } else if (type.indexOf('/') <= 0 || type.endsWith("/") || type.indexOf(' ') >= 0) {
                broken = true;
                damage.add("broken content type");
                type = type.startsWith("multipart") ? "multipart/mixed" : type.startsWith("text") ? "text/plain"
                        : "application/octet-stream";
            }
            HeaderParams cd = HeaderParams.parse(first(block.headers(), "Content-Disposition"));
            String filename = cd.get("filename");
            if (filename == null) {
                filename = ct.get("name");
            }
            String disposition = cd.value().isEmpty() ? null : cd.value();
            String cte = first(block.headers(), "Content-Transfer-Encoding");
            cte = cte == null ? "" : cte.strip().toLowerCase(Locale.ROOT);
            int bodyStart = Math.min(block.bodyStart(), end);

            if (type.startsWith("multipart/")) {
                String boundary = ct.get("boundary");
                if (boundary == null || boundary.isEmpty()) {
                    broken = true;
                    damage.add("missing boundary");
                    addPart(type, declared, true, filename, disposition, end - bodyStart);
                    leaf("text/plain", ct, cte, bodyStart, end, inAlternative, null, null);
                    return;
                }
                addPart(type, declared, broken, filename, disposition, end - bodyStart);
                if (depth >= limits.maxDepth()) {
                    damage.add("depth limit");
                    return;
                }
                multipart(boundary, bodyStart, end, depth, type.equals("multipart/alternative"));
                return;
            }
            if (type.equals("message/rfc822") && !cte.equals("base64") && !cte.equals("quoted-printable")) {
                addPart(type, declared, broken, filename, disposition, end - bodyStart);
                if (depth >= limits.maxDepth()) {
                    damage.add("depth limit");
                    return;
                }
                entity(bodyStart, end, depth + 1, false, false);
                return;
            }
            leaf(type, ct, cte, bodyStart, end, inAlternative, filename, disposition, declared, broken);
        }

        private void leaf(String type, HeaderParams ct, String cte, int from, int to, boolean inAlternative,
                          String filename, String disposition) {
            // body of a multipart without boundary, read as text; the part itself is already recorded
            partBodies.add(new PartBody(b, from, to, type, ct.get("charset"), cte));
            decodeText(type, ct, cte, from, to, inAlternative);
            partTypes.add(type);
        }

        private void leaf(String type, HeaderParams ct, String cte, int from, int to, boolean inAlternative,
                          String filename, String disposition, boolean declared, boolean broken) {
            partBodies.add(new PartBody(b, from, to, type, ct.get("charset"), cte));
            boolean text = (type.equals("text/plain") || type.equals("text/html"))
                    && !"attachment".equals(disposition) && filename == null;
            long size;
            if (text) {
                size = decodeText(type, ct, cte, from, to, inAlternative);
            } else {
                size = switch (cte) {
                    case "base64" -> TransferDecoding.base64Size(b, from, to);
                    default -> Math.max(0, to - from);
                };
                attachments.add(new ParsedMessage.Attachment(filename, type, size));
            }
            addPart(type, declared, broken, filename, disposition, size);
            partTypes.add(type);
        }

        private long decodeText(String type, HeaderParams ct, String cte, int from, int to, boolean inAlternative) {
            int max = limits.maxDecodedPartSize();
            TransferDecoding.Decoded d = TransferDecoding.decode(cte, b, from, to, max);
            if (d.damaged()) {
                damage.add(cte.equals("base64") ? "bad base64" : "bad quoted-printable");
            }
            if (d.truncated()) {
                damage.add("part size limit");
            }
            String text = decodeCharset(ct.get("charset"), d.bytes(), d.length());
            if (text.indexOf('\0') >= 0) {
                damage.add("nul bytes");
                text = text.replace('\0', ' ');
            }
            if (type.equals("text/html")) {
                List<String> hrefs = new ArrayList<>();
                String visible = HtmlText.toText(text, hrefs, limits.maxUrls());
                anchors.add(hrefs);
                textParts.add(new ParsedMessage.TextPart(type, visible, text, inAlternative));
            } else {
                anchors.add(List.of());
                textParts.add(new ParsedMessage.TextPart(type, text, null, inAlternative));
            }
            return d.length();
        }

        private String decodeCharset(String charset, byte[] bytes, int len) {
            if (charset != null && !charset.isBlank() && Charsets.forName(charset).isEmpty()) {
                damage.add("unknown charset");
            }
            return Charsets.decode(charset, bytes, len);
        }

        private void multipart(String boundary, int from, int to, int depth, boolean alternative) {
            byte[] delim = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
            int pos = from;
            int partStart = -1;
            boolean closed = false;
            boolean any = false;
            while (pos < to && !stopped) {
                int eol = HeaderFields.indexOf(b, (byte) '\n', pos, to);
                int lineEnd = eol < 0 ? to : eol;
                int next = eol < 0 ? to : eol + 1;
                if (lineEnd - pos >= delim.length && b[pos] == '-' && b[pos + 1] == '-' && startsWith(pos, delim)) {
                    int after = pos + delim.length;
                    boolean closing = after + 2 <= lineEnd && b[after] == '-' && b[after + 1] == '-';
                    if (closing || onlySpace(after, lineEnd)) {
                        if (partStart >= 0) {
                            entity(partStart, bodyEnd(partStart, pos), depth + 1, alternative, false);
                        }
                        any = true;
                        if (closing) {
                            closed = true;
                            break;
                        }
                        partStart = next;
                    }
                }
                pos = next;
            }
            if (!any) {
                damage.add("missing boundary");
                return;
            }
            if (!closed && !stopped) {
                damage.add("truncated multipart");
                if (partStart >= 0 && partStart < to) {
                    entity(partStart, to, depth + 1, alternative, false);
                }
            }
        }

        /** The CRLF before a boundary line belongs to the boundary. */
        private int bodyEnd(int partStart, int boundaryLine) {
            int end = boundaryLine;
            if (end > partStart && b[end - 1] == '\n') {
                end--;
                if (end > partStart && b[end - 1] == '\r') {
                    end--;
                }
            }
            return end;
        }

        private boolean onlySpace(int from, int to) {
            for (int i = from; i < to; i++) {
                if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') {
                    return false;
                }
            }
            return true;
        }

        private boolean startsWith(int pos, byte[] prefix) {
            for (int i = 0; i < prefix.length; i++) {
                if (b[pos + i] != prefix[i]) {
                    return false;
                }
            }
            return true;
        }

        private void addPart(String type, boolean declared, boolean broken, String filename, String disposition,
                             long size) {
            parts.add(new ParsedMessage.Part(parts.size(), type, declared, broken, filename, disposition, size));
        }

        private static String first(List<ParsedMessage.Header> headers, String name) {
            for (ParsedMessage.Header h : headers) {
                if (h.name().equalsIgnoreCase(name)) {
                    return h.value();
                }
            }
            return null;
        }
    }
}

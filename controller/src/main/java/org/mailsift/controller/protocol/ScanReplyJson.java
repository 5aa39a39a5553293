package org.mailsift.controller.protocol;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.HeaderChange;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.core.scan.SymbolResult;

/**
 * Renders a {@link ScanResult} as Rspamd's scan replies: {@link #checkV2} for {@code /checkv2} (what rspamc, James and
 * the milter-less integrations read) and {@link #checkV1} for the legacy {@code /check}, {@code /symbols}, {@code /scan}.
 * Key order follows Rspamd's so diffs against a real Rspamd reply stay readable.
 */
public final class ScanReplyJson {
    private static final JsonFactory JSON = new JsonFactory();

    private ScanReplyJson() {
    }

    /** The {@code /checkv2} reply. */
    public static String checkV2(ScanResult r) {
        return write(g -> {
            g.writeStartObject();
            writeVerdict(g, r);
            g.writeObjectFieldStart("thresholds");
            for (Map.Entry<String, Double> t : r.thresholds().entrySet()) {
                g.writeNumberField(t.getKey(), t.getValue());
            }
            g.writeEndObject();
            g.writeObjectFieldStart("symbols");
            writeSymbols(g, r);
            g.writeEndObject();
            writeTail(g, r, "milter");
            g.writeEndObject();
        });
    }

    /** The legacy v1 reply: the verdict and symbols nested under the "default" metric. */
    public static String checkV1(ScanResult r) {
        return write(g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("default");
            // Rspamd's v1 is_spam is true only for reject (the same "False" as X-Spamd-Result's "default: False").
            g.writeBooleanField("is_spam", r.action() == Action.REJECT);
            writeVerdict(g, r);
            writeSymbols(g, r);
            g.writeEndObject();
            writeTail(g, r, "rmilter");
            g.writeEndObject();
        });
    }

    private static void writeVerdict(JsonGenerator g, ScanResult r) throws IOException {
        g.writeBooleanField("is_skipped", false); // Rspamd's field: every message that gets a verdict was scanned
        g.writeNumberField("score", Double.isNaN(r.score()) ? 0.0 : r.score());
        g.writeNumberField("required_score", r.requiredScore());
        g.writeStringField("action", (r.action() == null ? Action.NO_ACTION : r.action()).wireName());
        if (r.subject() != null && r.action() == Action.REWRITE_SUBJECT) {
            g.writeStringField("subject", r.subject());
        }
    }

    private static void writeSymbols(JsonGenerator g, ScanResult r) throws IOException {
        for (SymbolResult s : r.symbols()) {
            g.writeObjectFieldStart(s.name());
            g.writeStringField("name", s.name());
            g.writeNumberField("score", s.score());
            g.writeNumberField("metric_score", s.weight());
            if (!s.description().isEmpty()) {
                g.writeStringField("description", s.description());
            }
            if (!s.options().isEmpty()) {
                g.writeArrayFieldStart("options");
                for (String o : s.options()) {
                    g.writeString(o);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
    }

    private static void writeTail(JsonGenerator g, ScanResult r, String milterKey) throws IOException {
        g.writeObjectFieldStart("messages");
        if (r.smtpMessage() != null) {
            g.writeStringField("smtp_message", r.smtpMessage());
        }
        g.writeEndObject();
        g.writeStringField("message-id", r.messageId() == null ? "undef" : r.messageId());
        g.writeNumberField("time_real", r.scanTimeSeconds());
        if (!r.headerChanges().isEmpty()) {
            g.writeFieldName(milterKey);
            writeMilterBlock(g, r);
        }
        if (r.bayes() != null) {
            writeBayes(g, r.bayes());
        }
    }

    /**
     * The verdict's header edits as Rspamd's milter block: {@code add_headers {Name: value | {value, order} | [..]}}
     * and {@code remove_headers {Name: index | [..]}}. A SET is a removal of that instance plus an addition, which is
     * how Rspamd's own milter_headers plugin replaces its headers; except the rewritten Subject, which Rspamd's
     * protocol carries in {@code subject} (its milter client rewrites the Subject from there: sending it twice would
     * make such a client change it twice).
     */
    private static void writeMilterBlock(JsonGenerator g, ScanResult r) throws IOException {
        Map<String, List<HeaderChange>> adds = new LinkedHashMap<>();
        Map<String, List<Integer>> removes = new LinkedHashMap<>();
        for (HeaderChange c : r.headerChanges()) {
            if (isSubjectRewrite(c, r)) {
                continue;
            }
            switch (c.kind()) {
                case ADD -> adds.computeIfAbsent(c.name(), k -> new ArrayList<>()).add(c);
                case REMOVE -> removes.computeIfAbsent(c.name(), k -> new ArrayList<>()).add(c.index());
                case SET -> {
                    removes.computeIfAbsent(c.name(), k -> new ArrayList<>()).add(Math.max(c.index(), 1));
                    adds.computeIfAbsent(c.name(), k -> new ArrayList<>()).add(HeaderChange.add(c.name(), c.value()));
                }
            }
        }
        g.writeStartObject();
        g.writeObjectFieldStart("add_headers");
        for (Map.Entry<String, List<HeaderChange>> e : adds.entrySet()) {
            g.writeFieldName(e.getKey());
            if (e.getValue().size() == 1) {
                writeAddedHeader(g, e.getValue().get(0));
            } else {
                g.writeStartArray();
                for (HeaderChange c : e.getValue()) {
                    writeAddedHeader(g, c);
                }
                g.writeEndArray();
            }
        }
        g.writeEndObject();
        g.writeObjectFieldStart("remove_headers");
        for (Map.Entry<String, List<Integer>> e : removes.entrySet()) {
            if (e.getValue().size() == 1) {
                g.writeNumberField(e.getKey(), e.getValue().get(0));
            } else {
                g.writeArrayFieldStart(e.getKey());
                for (int i : e.getValue()) {
                    g.writeNumber(i);
                }
                g.writeEndArray();
            }
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static boolean isSubjectRewrite(HeaderChange c, ScanResult r) {
        return c.kind() == HeaderChange.Kind.SET && c.index() == 1 && c.name().equalsIgnoreCase("Subject")
                && r.action() == Action.REWRITE_SUBJECT && c.value().equals(r.subject());
    }

    private static void writeAddedHeader(JsonGenerator g, HeaderChange c) throws IOException {
        if (c.index() >= 0) {
            g.writeStartObject();
            g.writeStringField("value", c.value());
            g.writeNumberField("order", c.index());
            g.writeEndObject();
        } else {
            g.writeString(c.value());
        }
    }

    /** mailsift-only: the classifier's probability at full precision, or why it stayed silent. */
    private static void writeBayes(JsonGenerator g, ScanResult.BayesInfo b) throws IOException {
        g.writeObjectFieldStart("bayes");
        if (b.silentReason() != null || Double.isNaN(b.probability())) {
            g.writeStringField("silent", b.silentReason() == null ? "no probability" : b.silentReason());
        } else {
            g.writeNumberField("probability", b.probability());
            if (!Double.isNaN(b.evidence())) {
                g.writeNumberField("evidence", b.evidence());
            }
            g.writeNumberField("tokens", b.tokens());
        }
        g.writeEndObject();
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static String write(Body body) {
        StringWriter out = new StringWriter(1024);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a StringWriter cannot fail", e);
        }
        return out.toString();
    }
}

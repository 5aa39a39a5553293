package org.mailsift.controller.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.HeaderChange;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.core.scan.SymbolResult;

class ScanReplyJsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static Map<String, Double> thresholds() {
        Map<String, Double> t = new LinkedHashMap<>();
        t.put("reject", 15.0);
        t.put("add header", 6.0);
        t.put("greylist", 4.0);
        return t;
    }

    static ScanResult addHeaderVerdict() {
        return new ScanResult(7.3, 15.0, Action.ADD_HEADER, thresholds(),
                List.of(new SymbolResult("BAYES_SPAM", 5.1, 5.1, "Message probably spam, probability: ", List.of("99.99%")),
                        new SymbolResult("MISSING_DATE", 1.0, 1.0, "", List.of())),
                "abc@example", null, null,
                List.of(HeaderChange.removeAll("X-Spam"), HeaderChange.add("X-Spamd-Result", "default: False [7.30 / 15.00]"),
                        HeaderChange.set("X-Spam", "Yes")), 0.031, new ScanResult.BayesInfo(0.9999123456789, 212, null));
    }

    @Test
    void addHeaderVerdictHasRspamdsCheckV2Shape() throws Exception {
        JsonNode j = MAPPER.readTree(ScanReplyJson.checkV2(addHeaderVerdict()));

        assertThat(j.get("is_skipped").asBoolean()).isFalse();
        assertThat(j.get("score").asDouble()).isEqualTo(7.3);
        assertThat(j.get("required_score").asDouble()).isEqualTo(15.0);
        assertThat(j.get("action").asText()).isEqualTo("add header");
        assertThat(j.get("thresholds").get("add header").asDouble()).isEqualTo(6.0);
        JsonNode bayes = j.get("symbols").get("BAYES_SPAM");
        assertThat(bayes.get("name").asText()).isEqualTo("BAYES_SPAM");
        assertThat(bayes.get("metric_score").asDouble()).isEqualTo(5.1);
        assertThat(bayes.get("options").get(0).asText()).isEqualTo("99.99%");
        assertThat(j.get("symbols").get("MISSING_DATE").has("options")).isFalse();
        assertThat(j.get("messages").size()).isZero();
        assertThat(j.get("message-id").asText()).isEqualTo("abc@example");
        assertThat(j.get("time_real").asDouble()).isEqualTo(0.031);
        assertThat(j.has("subject")).isFalse();
    }

    @Test
    void headerChangesBecomeTheMilterBlock() throws Exception {
        JsonNode milter = MAPPER.readTree(ScanReplyJson.checkV2(addHeaderVerdict())).get("milter");

        assertThat(milter.get("add_headers").get("X-Spamd-Result").asText()).isEqualTo("default: False [7.30 / 15.00]");
        assertThat(milter.get("add_headers").get("X-Spam").asText()).isEqualTo("Yes");
        // remove every spoofed X-Spam first (0), then replace the first instance (1) for the SET
        assertThat(milter.get("remove_headers").get("X-Spam").toString()).isEqualTo("[0,1]");
    }

    @Test
    void bayesProbabilityKeepsFullPrecision() throws Exception {
        JsonNode bayes = MAPPER.readTree(ScanReplyJson.checkV2(addHeaderVerdict())).get("bayes");

        assertThat(bayes.get("probability").asDouble()).isEqualTo(0.9999123456789);
        assertThat(bayes.get("tokens").asInt()).isEqualTo(212);
    }

    @Test
    void silentBayesSaysWhy() throws Exception {
        ScanResult r = withBayes(new ScanResult.BayesInfo(Double.NaN, 3, "not enough learns: 10 spam < 200"));
        JsonNode bayes = MAPPER.readTree(ScanReplyJson.checkV2(r)).get("bayes");

        assertThat(bayes.get("silent").asText()).isEqualTo("not enough learns: 10 spam < 200");
        assertThat(bayes.has("probability")).isFalse();
    }

    @Test
    void noClassifierMeansNoBayesKeyAndNoMilterBlockWithoutChanges() throws Exception {
        JsonNode j = MAPPER.readTree(ScanReplyJson.checkV2(withBayes(null)));

        assertThat(j.has("bayes")).isFalse();
        assertThat(j.has("milter")).isFalse();
    }

    @Test
    void gtubeRejectCarriesItsSmtpMessage() throws Exception {
        ScanResult r = new ScanResult(0, 15, Action.REJECT, thresholds(),
                List.of(new SymbolResult("GTUBE", 0, 0, "Generic test", List.of())), "undef", null, "Gtube pattern",
                List.of(), 0.001, null);
        JsonNode j = MAPPER.readTree(ScanReplyJson.checkV2(r));

        assertThat(j.get("action").asText()).isEqualTo("reject");
        assertThat(j.get("messages").get("smtp_message").asText()).isEqualTo("Gtube pattern");
        assertThat(j.get("message-id").asText()).isEqualTo("undef");
    }

    @Test
    void rewrittenSubjectIsReported() throws Exception {
        ScanResult r = new ScanResult(9, 15, Action.REWRITE_SUBJECT, thresholds(), List.of(), "m@x",
                "*** SPAM *** hello", null, List.of(), 0.01, null);

        assertThat(MAPPER.readTree(ScanReplyJson.checkV2(r)).get("subject").asText()).isEqualTo("*** SPAM *** hello");
    }

    @Test
    void legacyV1NestsVerdictAndSymbolsUnderDefault() throws Exception {
        JsonNode j = MAPPER.readTree(ScanReplyJson.checkV1(addHeaderVerdict()));

        JsonNode metric = j.get("default");
        assertThat(metric.get("is_spam").asBoolean()).isFalse();
        assertThat(metric.get("action").asText()).isEqualTo("add header");
        assertThat(metric.get("score").asDouble()).isEqualTo(7.3);
        assertThat(metric.get("BAYES_SPAM").get("score").asDouble()).isEqualTo(5.1);
        assertThat(j.get("message-id").asText()).isEqualTo("abc@example");
        assertThat(j.has("rmilter")).isTrue();
        assertThat(j.has("milter")).isFalse();
    }

    private static ScanResult withBayes(ScanResult.BayesInfo b) {
        return new ScanResult(1, 15, Action.NO_ACTION, thresholds(), List.of(), "m@x", null, null, List.of(), 0.01, b);
    }
}

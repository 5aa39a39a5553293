package org.mailsift.scanner.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailsift.scanner.Fixtures.names;
import static org.mailsift.scanner.Fixtures.scan;

import org.junit.jupiter.api.Test;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.core.scan.SymbolResult;

class MimeRulesTest {

    private static SymbolResult symbol(ScanResult r, String name) {
        return r.symbols().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " missing in " + names(r)));
    }

    @Test
    void gtubeForcesRejectWithRspamdsMessageAndEndsTheScan() {
        ScanResult r = scan("gtube.eml");
        assertThat(r.action()).isEqualTo(Action.REJECT);
        assertThat(r.smtpMessage()).isEqualTo("Gtube pattern");
        assertThat(r.score()).isEqualTo(15.0);
        assertThat(names(r)).containsExactly("GTUBE");
        assertThat(r.messageId()).isEqualTo("GTUBE1.1010101@example.net");
    }

    @Test
    void gtubeTestPatternVariantsNeedEnableTestPatterns() {
        byte[] raw = ("Subject: t\n\nYJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X\n").getBytes();
        assertThat(org.mailsift.scanner.Fixtures.engine().scan(raw, org.mailsift.core.message.Envelope.EMPTY).hasSymbol("GTUBE"))
                .isFalse();
        var settings = org.mailsift.scanner.EngineSettings.DEFAULTS;
        var withPatterns = new org.mailsift.scanner.EngineSettings(settings.actions(), settings.groups(),
                settings.milterHeaders(), new org.mailsift.scanner.settings.OptionsSettings(settings.options().localAddrs(), true));
        ScanResult r = org.mailsift.scanner.Fixtures.engine(withPatterns).scan(raw, org.mailsift.core.message.Envelope.EMPTY);
        assertThat(r.action()).isEqualTo(Action.ADD_HEADER);
        assertThat(r.score()).isEqualTo(6.0);
    }

    @Test
    void executableAttachmentsBehindADoubleExtension() {
        ScanResult r = scan("attachments.eml");
        assertThat(symbol(r, "MIME_DOUBLE_BAD_EXTENSION").options()).containsExactly(".pdf.exe");
        assertThat(symbol(r, "MIME_BAD_EXTENSION").options()).containsExactly("scr");
        // weight 2 x badness 4 = 8, but the mime_types group (max_score 10) already holds 3 from the double extension
        assertThat(symbol(r, "MIME_BAD_EXTENSION").score()).isEqualTo(7.0);
        assertThat(names(r)).contains("HAS_ATTACHMENT");
        // mime_types group max_score is 10: 3 x 1 (exe badness) + 8 = 11 -> capped
        double group = r.symbols().stream().filter(s -> s.name().startsWith("MIME_")).mapToDouble(SymbolResult::score).sum();
        assertThat(group).isLessThanOrEqualTo(10.0);
        assertThat(symbol(r, "MIME_TRACE").options()).containsExactly("0:+", "1:+", "2:~", "3:~");
    }

    @Test
    void htmlOnlyMessageWithALinkedEmbeddedImageAndAnIpUrl() {
        ScanResult r = scan("html-only.eml");
        assertThat(names(r)).contains("MIME_HTML_ONLY", "HTML_SHORT_LINK_IMG_1", "R_SUSPICIOUS_URL");
        assertThat(symbol(r, "R_SUSPICIOUS_URL").options()).containsExactly("198.51.100.23");
        assertThat(symbol(r, "R_SUSPICIOUS_URL").score()).isEqualTo(5.0);
    }

    @Test
    void textAndHtmlAlternativesThatSayDifferentThings() {
        ScanResult r = scan("parts-differ.eml");
        SymbolResult s = symbol(r, "R_PARTS_DIFFER");
        assertThat(s.score()).isGreaterThan(0.5);
        assertThat(s.options().get(0)).endsWith("%");
        assertThat(names(scan("plain-good.eml"))).doesNotContain("R_PARTS_DIFFER", "MIME_HTML_ONLY");
    }

    @Test
    void multipartWithoutBoundaryIsABrokenContentType() {
        ScanResult r = scan("broken-ct.eml");
        assertThat(names(r)).contains("BROKEN_CONTENT_TYPE");
        assertThat(symbol(r, "BROKEN_CONTENT_TYPE").score()).isEqualTo(1.5);
    }
}

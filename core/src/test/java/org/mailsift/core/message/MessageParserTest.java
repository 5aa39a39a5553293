package org.mailsift.core.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class MessageParserTest {
    private static ParsedMessage parse(String s) {
        return MessageParser.parse(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void mboxFromLineIsStrippedAndHeadersAreUnfoldedAndDecoded() {
        ParsedMessage m = parse("From sender@example.org Sat Nov 21 10:00:00 2026\n"
                + "Subject: =?UTF-8?B?R3LDvMOfZQ==?= and\n =?ISO-8859-1?Q?caf=E9?=\n"
                + "Message-ID:  <abc@example.org>\nTo: x@example.com\n\nbody\n");
        assertThat(m.subject()).contains("Grüße and café");
        assertThat(m.messageId()).contains("abc@example.org");
        assertThat(m.headers().get(0).name()).isEqualTo("Subject");
        assertThat(m.headers().get(0).rawValue()).startsWith("=?UTF-8?B?");
        assertThat(new String(m.raw(), StandardCharsets.US_ASCII)).startsWith("Subject:");
        assertThat(m.damage()).isEmpty();
    }

    @Test
    void quotedPrintableAndBase64PartsAreDecodedWithTheirCharsets() {
        ParsedMessage m = parse("Content-Type: multipart/alternative; boundary=\"XX\"\n\n"
                + "preamble\n--XX\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n"
                + "Caf=E9 au lait =\nsoft break\n"
                + "--XX\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
                + "PGEgaHJlZj0iaHR0cDovL2V4YW1wbGUuY29tL3giPkNsaWNrPC9hPiAmYW1wOyBnbyE=\n--XX--\nepilogue\n");
        assertThat(m.textParts()).hasSize(2);
        assertThat(m.textParts().get(0).text()).isEqualTo("Café au lait soft break");
        assertThat(m.textParts().get(0).inAlternative()).isTrue();
        assertThat(m.textParts().get(1).isHtml()).isTrue();
        assertThat(m.textParts().get(1).text()).isEqualTo("Click & go!");
        assertThat(m.urls()).containsExactly("http://example.com/x");
        assertThat(m.partTypes()).containsExactly("text/plain", "text/html");
        assertThat(m.parts()).extracting(ParsedMessage.Part::contentType)
                .containsExactly("multipart/alternative", "text/plain", "text/html");
    }

    @Test
    void unknownCharsetFallsBackToWindows1252AndIsRecorded() {
        ParsedMessage m = parse("Content-Type: text/plain; charset=x-no-such-charset\n\nna\u00efve \u0080\n");
        assertThat(m.textParts().get(0).text()).isEqualTo("na\u00efve \u20ac\n");
        assertThat(m.damage()).contains("unknown charset");
    }

    @Test
    void attachmentsHaveNamesTypesAndSizes() {
        ParsedMessage m = parse("Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nsee file\n"
                + "--b\nContent-Type: application/pdf; name=\"=?UTF-8?Q?r=C3=A9sum=C3=A9.pdf?=\"\n"
                + "Content-Disposition: attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf\n"
                + "Content-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n--b--\n");
        assertThat(m.attachments()).containsExactly(new ParsedMessage.Attachment("résumé.pdf", "application/pdf", 9));
        assertThat(m.parts().get(2).disposition()).isEqualTo("attachment");
    }

    @Test
    void bareUrlsInPlainTextAreFound() {
        ParsedMessage m = parse("Subject: x\n\nGo to https://example.org/a?b=1. Or http://192.0.2.4/x, now\n");
        assertThat(m.urls()).containsExactly("https://example.org/a?b=1", "http://192.0.2.4/x");
    }

    @Test
    void nestedMessagesAreParsedToo() {
        ParsedMessage m = parse("Content-Type: multipart/mixed; boundary=o\n\n--o\nContent-Type: message/rfc822\n\n"
                + "Subject: inner\nContent-Type: text/plain\n\ninner text\n--o--\n");
        assertThat(m.subject()).isEmpty();
        assertThat(m.textParts()).extracting(ParsedMessage.TextPart::text).containsExactly("inner text");
    }

    @Test
    void everyLeafPartsBodyIsThereForSieveEvenTheOnesAScanDoesNotRead() {
        ParsedMessage m = parse("Content-Type: multipart/mixed; boundary=\"M\"\n\n"
                + "--M\nContent-Type: text/html; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n<p>caf=E9</p>\n"
                + "--M\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\nSW52b2ljZSA0NzEx\n"
                + "--M\nContent-Type: image/png\n\n\u0089PNG\n--M--\n");

        assertThat(m.partBodies()).extracting(PartBody::contentType).containsExactly("text/html", "application/pdf", "image/png");
        assertThat(m.partBodies().get(0).text(1024)).isEqualTo("<p>caf\u00e9</p>"); // HTML stays HTML, charset applied
        assertThat(m.partBodies().get(1).text(1024)).isEqualTo("Invoice 4711");
        assertThat(m.partBodies().get(1).decoded(7)).hasSize(7);
        assertThat(m.textParts()).hasSize(1); // a scan still sees the text part only
    }
}

package org.mailsift.scanner.rbl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.mailsift.core.message.Link;
import org.mailsift.core.message.MessageParser;
import org.mailsift.core.message.ParseLimits;
import org.mailsift.core.message.ParsedMessage;

/**
 * The message's one link extraction gives every reader what its own extraction gave before they shared one: over
 * the SA corpus, the parser's URL list (Bayes, regexp {url}, multimap url) and the DNS lists' hosts and addresses
 * under three bounds, digested, are byte for byte what the two separate extractions of commit eca61c7 produced
 * (parser list and rbl UrlExtractor, MessageUrls' text). A change of what is extracted must change this digest on
 * purpose. Skipped when the corpus is absent or is another one than the digest was taken over.
 */
class LinkExtractionCorpusTest {
    private static final String CORPUS_DIGEST = "1c620414daea0fb0ac9ab1610452ae629b004a3af41b7ac9a51b1ca2a50693b1";
    private static final String EXTRACTION_DIGEST = "fc25809a3ce4be11dbfd90f7a8c7ec45a765c5d552e880fff7464389df842983";

    @Test
    void everyReaderGetsTheLinksItsOwnExtractionGaveOverTheCorpus() throws Exception {
        String corpus = System.getProperty("mailsift.corpus");
        assumeTrue(corpus != null && Files.isDirectory(Path.of(corpus, "ham")), "corpus not present");
        List<Path> files = new ArrayList<>();
        MessageDigest corpusDigest = MessageDigest.getInstance("SHA-256");
        for (String d : List.of("ham", "spam")) {
            try (Stream<Path> s = Files.list(Path.of(corpus, d))) {
                s.sorted().forEach(files::add);
            }
        }
        for (Path f : files) {
            corpusDigest.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
            corpusDigest.update(Files.readAllBytes(f));
        }
        assumeTrue(HexFormat.of().formatHex(corpusDigest.digest()).equals(CORPUS_DIGEST),
                "another corpus than the one the extraction digest was taken over");
        StringBuilder out = new StringBuilder();
        for (Path f : files) {
            ParsedMessage m = new MessageParser(ParseLimits.DEFAULT).parseMessage(Files.readAllBytes(f));
            out.append(f.getFileName()).append(" U ").append(m.urls()).append('\n');
            out.append(" R ").append(new UrlExtractor(2000, 50).extract(m)).append('\n');
            out.append(" E ").append(new UrlExtractor(1000, 1000).extract(m)).append('\n');
            out.append(" S ").append(new UrlExtractor(7, 3).extract(m)).append('\n');
            assertThat(m.links().all().stream().filter(l -> l.has(Link.DISPLAYED)).map(Link::url).toList())
                    .as(f.toString()).isEqualTo(m.urls());
        }
        out.append(synthetic());
        assertThat(sha256(out.toString())).isEqualTo(EXTRACTION_DIGEST);
    }

    /** One part with 3,000 of each kind of link, read under bounds below, at and above the shared search's. */
    private static String synthetic() {
        StringBuilder sb = new StringBuilder("Content-Type: text/html\r\n\r\n");
        for (int i = 0; i < 3000; i++) {
            sb.append("<a href=\"/rel").append(i).append("\">x</a><img src=\"http://h").append(i % 70)
                    .append(".example.com/\"> www.t").append(i).append(".com hxxp://o[.]").append(i)
                    .append(".net mailto:a").append(i).append("@x.org\n");
        }
        ParsedMessage m = MessageParser.parse(sb.toString().getBytes(StandardCharsets.UTF_8));
        StringBuilder out = new StringBuilder("synthetic U ").append(m.urls()).append('\n');
        for (int n : new int[] {5, 100, 999, 2000, 2500, 5000}) {
            out.append(" X").append(n).append(' ').append(new UrlExtractor(n, 50).extract(m)).append('\n');
        }
        return out.toString();
    }

    private static String sha256(String s) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}

package org.mailsift.agent.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailsift.agent.AgentContext;
import org.mailsift.agent.StockConfiguration;
import org.mailsift.agent.daemon.ControllerService;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.core.config.UclArray;
import org.mailsift.core.config.UclObject;
import org.mailsift.core.config.UclParser;
import org.mailsift.core.config.UclScalar;
import org.mailsift.core.config.UclValue;
import org.mailsift.testsupport.RspamdServer;
import org.mailsift.testsupport.TestDnsServer;

/**
 * Differential test against the real Rspamd: one local.d (src/test/resources/rspamd-compat: multimap.conf,
 * regexp.conf, composites.conf, settings.conf and a file map, written the way Rspamd's documentation writes them) is
 * given to Rspamd 3.4 and to mailsift's controller, and each small hand-made message below is scanned by both over
 * HTTP /checkv2 with the same envelope (the headers rspamc sends). Per case the symbols of these policy files (names,
 * scores, options) and the action must be equal; the symbols of modules mailsift does not share are ignored.
 * Both servers start once for the class; the test skips only when Rspamd is not installed.
 */
class RspamdPolicyDifferentialTest {
    private static final String RESOURCES = "/rspamd-compat/";
    private static final List<String> FILES = List.of("multimap.conf", "regexp.conf", "composites.conf",
            "settings.conf", "maps/bad_senders.map");
    /** Stock modules that would query the network or keep state; the same switch in both servers. */
    private static final List<String> OFFLINE = List.of("rbl", "surbl", "emails", "spf", "dkim", "dmarc", "arc",
            "asn", "phishing", "fuzzy_check", "neural", "mx_check", "greylist", "reputation", "whitelist",
            "ratelimit", "replies", "imap_watcher", "hfilter");
    private static final Pattern RULE_NAME = Pattern.compile("(?m)^\\s*([A-Z][A-Z0-9_]+)\\s*\\{");

    @TempDir
    static Path dir;
    static TestDnsServer dns;
    static RspamdServer rspamd;
    static AgentContext context;
    static ControllerService mailsift;
    static int mailsiftPort;
    static Set<String> policySymbols;
    static final Map<String, String> TABLE = new TreeMap<>();

    /**
     * Cases where Rspamd 3.4 behaves in a way mailsift does not copy, each with the reason. They still run, and the
     * test fails if the two ever agree (then the entry goes).
     */
    private static final Map<String, String> KNOWN_DIFFERENCES = Map.of(
            "mm_regexp_map_unanchored", "observed in Rspamd 3.4: a regexp map entry matches only from the start "
                    + "of the value ('/transfer/i' misses the Subject 'Wire transfer', '/^wire/i' and '/.*transfer/' "
                    + "match), though its documentation says search; mailsift searches anywhere, as RE2's find",
            "mm_filename_detected_type", "Rspamd's filename map also matches 'detected.<ext>' from lua_magic's "
                    + "content sniffing (an MZ header is 'exe'), once more per match (an MZ file named .exe scores 6 + 6); "
                    + "mailsift matches only the names the message gives",
            "mm_url_unknown_tld", "observed in Rspamd 3.4: a URL whose host has no public suffix (www.shady.test, "
                    + "tracker.example) reaches neither url maps nor {url} regexps; mailsift extracts every http(s) URL");

    /**
     * @param action whether the action is compared: only where the policy under test decides it (prefilter,
     *               settings, a score far from every threshold), since the modules the two do not share add
     *               different small scores
     */
    record Case(String name, byte[] message, List<Map.Entry<String, String>> envelope, boolean action) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void startBoth() throws Exception {
        Assumptions.assumeTrue(RspamdServer.installed(), "rspamd not installed (apt-get install rspamd)");
        Map<String, String> localD = new LinkedHashMap<>();
        for (String file : FILES) {
            try (InputStream in = RspamdPolicyDifferentialTest.class.getResourceAsStream(RESOURCES + file)) {
                localD.put(file, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        policySymbols = new TreeSet<>(List.of("ALPHA_CAMPAIGN", "BETA_CAMPAIGN"));
        for (String file : List.of("multimap.conf", "regexp.conf", "composites.conf")) {
            Matcher m = RULE_NAME.matcher(localD.get(file));
            while (m.find()) {
                policySymbols.add(m.group(1));
            }
        }
        dns = TestDnsServer.start();
        String nameserver = "127.0.0.1:" + dns.port();
        rspamd = RspamdServer.start(localD, nameserver);

        Path etc = StockConfiguration.copyTo(dir.resolve("etc"));
        for (Map.Entry<String, String> file : localD.entrySet()) {
            Path target = etc.resolve("local.d").resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, file.getValue());
        }
        for (String module : OFFLINE) {
            Files.writeString(etc.resolve("local.d/" + module + ".conf"), "enabled = false;\n");
        }
        Files.writeString(etc.resolve("local.d/options.inc"), "dns { nameserver = [\"" + nameserver + "\"]; }\n");
        Files.writeString(etc.resolve("override.d/worker-proxy.inc"), "bind_socket = \"127.0.0.1:0\";\n");
        Files.writeString(etc.resolve("override.d/worker-normal.inc"), "bind_socket = \"127.0.0.1:0\";\n");
        Files.writeString(etc.resolve("override.d/worker-controller.inc"), "bind_socket = \"127.0.0.1:0\";\n");
        context = new AgentContext(ConfigDirectory.open(etc), dir.resolve("db"));
        mailsift = new ControllerService();
        mailsift.start(context);
        mailsiftPort = ((InetSocketAddress) mailsift.server().normalAddresses().get(0)).getPort();
    }

    @AfterAll
    static void stopBoth() throws Exception {
        if (!TABLE.isEmpty()) {
            System.out.println("case | result");
            TABLE.forEach((k, v) -> System.out.println(k + " | " + v));
        }
        if (mailsift != null) {
            mailsift.close();
        }
        if (context != null) {
            context.close();
        }
        if (rspamd != null) {
            rspamd.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    // --- the messages -------------------------------------------------------------------------------------------

    private static final String DEFAULT_FROM = "Carol <carol@sender.test>";

    private static byte[] mail(String from, String subject, String extraHeaders, String body) {
        String text = "From: " + from + "\r\nTo: Alice <alice@example.test>\r\nSubject: " + subject
                + "\r\nDate: Thu, 03 Dec 2026 10:00:00 +0000\r\nMessage-ID: <" + Integer.toHexString(subject.hashCode())
                + ".compat@sender.test>\r\n" + extraHeaders + "MIME-Version: 1.0\r\n"
                + (extraHeaders.contains("Content-Type:") ? "" : "Content-Type: text/plain; charset=us-ascii\r\n")
                + "\r\n" + body;
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] plain(String subject, String extraHeaders) {
        return mail(DEFAULT_FROM, subject, extraHeaders, "Hello Alice,\r\n\r\nthe minutes of Tuesday's meeting are below.\r\n");
    }

    private static byte[] compat(String tokens) {
        return plain("Meeting notes " + tokens, "X-Compat: " + tokens + "\r\n");
    }

    /** A Windows executable's first bytes, which Rspamd's content sniffing calls "exe". */
    private static final String MZ = "TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAgAAAAA==";
    /** "Quarterly figures, see the table." in base64: plain text to every content sniffer. */
    private static final String TEXT = "UXVhcnRlcmx5IGZpZ3VyZXMsIHNlZSB0aGUgdGFibGUu";

    private static byte[] withAttachment(String filename, String base64) {
        String body = "--b1\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nPlease find the invoice attached.\r\n"
                + "--b1\r\nContent-Type: application/octet-stream; name=\"" + filename + "\"\r\n"
                + "Content-Disposition: attachment; filename=\"" + filename + "\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + base64 + "\r\n--b1--\r\n";
        return mail(DEFAULT_FROM, "Invoice", "Content-Type: multipart/mixed; boundary=\"b1\"\r\n", body);
    }

    private static List<Map.Entry<String, String>> envelope(String... pairs) {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("From", "carol@sender.test");
        defaults.put("Rcpt", "alice@example.test");
        defaults.put("IP", "192.0.2.7");
        defaults.put("Helo", "mail.sender.test");
        for (int i = 0; i < pairs.length; i += 2) {
            defaults.put(pairs[i], pairs[i + 1]);
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        defaults.forEach((k, v) -> headers.add(Map.entry(k, v)));
        return headers;
    }

    private static Case scan(String name, byte[] message, String... envelope) {
        return new Case(name, message, envelope(envelope), false);
    }

    private static Case verdict(String name, byte[] message, String... envelope) {
        return new Case(name, message, envelope(envelope), true);
    }

    static Stream<Case> cases() {
        return Stream.of(
                scan("baseline", plain("Meeting notes", "")),
                // multimap
                scan("mm_from_envelope", plain("Offer", ""), "From", "evil@bad.test"),
                scan("mm_header_from_email_domain", mail("Sales <sales@spammy.test>", "Offer", "", "Hi\r\n")),
                scan("mm_header_from_regexp", mail("Promo <promo-42@deals.test>", "Offer", "", "Hi\r\n")),
                scan("mm_symbol_options_other_option", mail("Promo <promo-17@deals.test>", "Offer", "", "Hi\r\n")),
                scan("mm_symbol_options_target_absent", mail("Plain <promo@deals.test>", "Offer", "", "Hi\r\n")),
                scan("mm_rcpt_email_user", plain("Offer", ""), "Rcpt", "honeypot@example.test"),
                scan("mm_ip_cidr", plain("Offer", ""), "IP", "198.51.100.9"),
                scan("mm_helo_regexp", plain("Offer", ""), "Helo", "dynamic-42.isp.test"),
                scan("mm_url_tld", mail(DEFAULT_FROM, "Link", "", "See http://www.shady-offers.com/offer now\r\n")),
                scan("mm_url_unknown_tld", mail(DEFAULT_FROM, "Link", "", "See http://www.shady.test/offer now\r\n")),
                scan("mm_filename_glob", withAttachment("invoice.exe", TEXT)),
                scan("mm_filename_no_match", withAttachment("invoice.pdf", TEXT)),
                scan("mm_filename_detected_type", withAttachment("invoice.pdf", MZ)),
                scan("mm_regexp_map_unanchored", plain("Wire transfer", "")),
                scan("mm_content_body_regexp", mail(DEFAULT_FROM, "Payment", "", "Please send the Wire\r\n  Transfer today.\r\n")),
                scan("mm_symbol_score_value", plain("Campaign", "X-Campaign: alpha\r\n")),
                scan("mm_symbol_value_default_score", plain("Campaign", "X-Campaign: beta\r\n")),
                verdict("mm_prefilter_reject", plain("Offer", ""), "From", "blocked@bad.test"),
                scan("mm_file_map", plain("Offer", ""), "From", "someone@badlist.test"),
                scan("mm_combined_both", plain("Offer", ""), "IP", "203.0.113.5", "From", "x@combo.test"),
                scan("mm_combined_one", plain("Offer", ""), "IP", "203.0.113.5"),
                scan("mm_rcvd_relay_in_parentheses", plain("Offer", "Received: from [192.168.0.4] (chello.example.test [62.178.142.216])"
                        + " by mail.uptime.test (8.12.5) with ESMTP id g7M; Thu, 22 Aug 2002 16:18:07 +0200\r\n")),
                scan("mm_rcvd_localhost", plain("Offer", "Received: from localhost (localhost [127.0.0.1]) by phobos.test"
                        + " (Postfix) with ESMTP id D03E5; Thu, 22 Aug 2002 07:36:16 -0400\r\n")),
                scan("mm_rcvd_address_literal", plain("Offer", "Received: from [66.218.67.196] by n20.grp.test with NNFMP;"
                        + " 22 Aug 2002 11:46:30 -0000\r\n")),
                scan("mm_rcvd_qmail", plain("Offer", "Received: (qmail 11764 invoked from network); 22 Aug 2002 11:46:29 -0000\r\n"
                        + "Received: from unknown (66.218.66.217) by m3.grp.test with QMQP; 22 Aug 2002 11:46:29 -0000\r\n")),
                scan("mm_rcvd_helo_and_relay", plain("Offer", "Received: from HELO.Example.TEST (relay.example.test [10.1.2.3])"
                        + " by mx.test (Postfix) with ESMTP id 1A; Thu, 22 Aug 2002 07:36:16 -0400\r\n")),
                // regexp
                scan("re_header_subject", plain("Cheap VIAGRA here", "")),
                scan("re_header_word_boundary", plain("Viagraland tours", "")),
                scan("re_mime_decoded", mail(DEFAULT_FROM, "Gift", "Content-Transfer-Encoding: quoted-printable\r\n",
                        "Get =46REE money now\r\n")),
                scan("re_body", mail(DEFAULT_FROM, "News", "", "To read more, click below.\r\n")),
                scan("re_url", mail(DEFAULT_FROM, "News", "", "Read http://tracker.example/p?id=1 today\r\n")),
                scan("re_raw_header", plain("News", "X-Bulk-Id: 12345\r\n")),
                scan("re_expression_and_not", mail("Deals <deals@promo.test>", "Sale", "", "Hi\r\n")),
                scan("re_expression_not_false", mail("Deals <deals@promo.test>", "Sale",
                        "List-Unsubscribe: <mailto:u@promo.test>\r\n", "Hi\r\n")),
                scan("re_expression_or", plain("URGENT reply", "")),
                scan("re_words_lower_cased", mail(DEFAULT_FROM, "News", "", "You won the LOTTERY, claim today.\r\n")),
                scan("re_words_not_inside_a_word", mail(DEFAULT_FROM, "News", "", "The lotterywinner list.\r\n")),
                scan("re_words_subject", mail(DEFAULT_FROM, "Lottery results", "", "Hi there\r\n")),
                // composites
                scan("comp_remove_all", compat("ca cb")),
                scan("comp_remove_symbol", compat("cc cd")),
                scan("comp_remove_weight", compat("ce cf")),
                scan("comp_leave", compat("cg ch")),
                scan("comp_tilde_minus", compat("ci cj")),
                scan("comp_caret", compat("cl cn")),
                scan("comp_group", compat("ca ck")),
                scan("comp_not_true", compat("cl")),
                scan("comp_not_false", compat("cl cm")),
                scan("comp_of_composite", compat("cg ch cn")),
                // settings
                verdict("set_rcpt_thresholds", compat("cx"), "Rcpt", "strict@example.test"),
                verdict("set_rcpt_thresholds_other", compat("cx")),
                verdict("set_symbols_disabled", plain("Cheap viagra", ""), "Rcpt", "quiet@example.test"),
                verdict("set_groups_disabled", compat("ca ck"), "Rcpt", "nogroup@example.test"),
                verdict("set_settings_id", compat("cx"), "Settings-Id", "compat_strict"),
                scan("set_symbols_enabled", compat("ca cb cc"), "Rcpt", "only@example.test"));
    }

    // --- the comparison -----------------------------------------------------------------------------------------

    /** What a scan says about the policy under test: its symbols with score and options, and the action. */
    record Verdict(String action, Map<String, String> symbols) {
    }

    private Verdict verdict(String json, boolean withAction) {
        UclObject reply = UclParser.untrusted().parse(json, "checkv2", null);
        Map<String, String> symbols = new TreeMap<>();
        reply.getObject("symbols").ifPresent(all -> {
            for (String name : all.keys()) {
                if (!policySymbols.contains(name)) {
                    continue;
                }
                UclObject symbol = all.getObject(name).orElseThrow();
                List<String> options = new ArrayList<>();
                for (UclValue option : symbol.getList("options")) {
                    if (option instanceof UclScalar s) {
                        options.add(s.asString());
                    } else if (option instanceof UclArray) {
                        options.add(option.toString());
                    }
                }
                options.sort(null);
                symbols.put(name, String.format("%.2f%s", symbol.getDouble("score", 0), options));
            }
        });
        return new Verdict(withAction ? reply.getString("action", "?") : "(not compared)", symbols);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void mailsiftAgreesWithRspamd(Case c) throws IOException {
        String rspamdJson = RspamdServer.checkv2(rspamd.port(), c.message(), c.envelope());
        String mailsiftJson = RspamdServer.checkv2(mailsiftPort, c.message(), c.envelope());
        Verdict expected = verdict(rspamdJson, c.action());
        Verdict actual = verdict(mailsiftJson, c.action());
        String known = KNOWN_DIFFERENCES.get(c.name());
        TABLE.put(c.name(), (expected.equals(actual) ? "same " + expected
                : "DIFFERENT rspamd=" + expected + " mailsift=" + actual) + (known == null ? "" : " (known: " + known + ")"));
        if (known != null) {
            assertThat(actual).as("%s now agrees with Rspamd: drop it from KNOWN_DIFFERENCES", c.name()).isNotEqualTo(expected);
            return;
        }
        assertThat(actual).as("%s%nrspamd: %s%nmailsift: %s", c.name(), rspamdJson, mailsiftJson).isEqualTo(expected);
    }
}

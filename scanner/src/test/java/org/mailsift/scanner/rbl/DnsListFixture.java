package org.mailsift.scanner.rbl;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.mailsift.core.config.UclObject;
import org.mailsift.core.config.UclParser;
import org.mailsift.core.dns.DnsSettings;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.message.ParseLimits;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.dns.NettyDnsResolver;
import org.mailsift.scanner.EngineSettings;
import org.mailsift.scanner.Fixtures;
import org.mailsift.scanner.ScanEngine;
import org.mailsift.scanner.maps.MapOptions;
import org.mailsift.scanner.rules.Rule;
import org.mailsift.scanner.rules.StandardRules;
import org.mailsift.testsupport.TestDnsServer;

/** An engine with the stock rbl.conf (plus test overrides) whose resolver asks an in-process DNS server. */
final class DnsListFixture implements AutoCloseable {
    final TestDnsServer dns = TestDnsServer.start();
    final NettyDnsResolver resolver;
    final BlockedLists blocked = new BlockedLists();
    final RblSettings settings;
    private final RblModule module;
    private final ScanEngine engine;

    DnsListFixture(String moduleOptions) {
        this(moduleOptions, Duration.ofSeconds(5));
    }

    DnsListFixture(String moduleOptions, Duration budget) {
        this(moduleOptions, budget, null, MapOptions.DEFAULT_WATCH_INTERVAL);
    }

    /** @param configDir where relative map files are; {@code watch}: how often map files are checked */
    DnsListFixture(String moduleOptions, Duration budget, Path configDir, Duration watch) {
        resolver = new NettyDnsResolver(DnsSettings.DEFAULTS.withNameservers(DnsSettings.parseNameservers(dns.address())), null);
        settings = RblSettings.from(stockWith(moduleOptions), w -> { }, configDir, MapOptions.of(watch));
        List<Rule> rules = new ArrayList<>(StandardRules.create(EngineSettings.DEFAULTS.options(), Fixtures.CLOCK));
        rules.add(module = new RblModule(settings, blocked));
        engine = new ScanEngine(rules, EngineSettings.DEFAULTS, ParseLimits.DEFAULT, "scanner.test", resolver, budget);
    }

    /** The stock file with {@code extra} (module-level UCL) appended, as local.d would add it. */
    static UclObject stockWith(String extra) {
        try (var in = RblSettings.class.getResourceAsStream(RblSettings.STOCK_RESOURCE)) {
            String stock = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new UclParser(Map.of()).parse(stock + "\n" + extra + "\n", "rbl.conf", null);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    ScanResult scan(String message, Envelope env) {
        return engine.scan(message.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8), env);
    }

    static Envelope from(String ip) {
        return Envelope.builder().clientIp(ip).helo("mail.sender.example").clientHostname("mail.sender.example")
                .mailFrom("a@sender.example").addRcpt("b@example.com").build();
    }

    static List<String> names(ScanResult r) {
        return r.symbols().stream().map(s -> s.name()).toList();
    }

    static double score(ScanResult r, String symbol) {
        return r.symbols().stream().filter(s -> s.name().equals(symbol)).mapToDouble(s -> s.score()).sum();
    }

    @Override
    public void close() {
        module.close();
        resolver.close();
        dns.close();
    }
}

package org.mailsift.scanner.policy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.mailsift.core.dns.DnsResolver;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.message.ParseLimits;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.core.scan.SymbolResult;
import org.mailsift.scanner.EngineSettings;
import org.mailsift.scanner.Fixtures;
import org.mailsift.scanner.ScanEngine;
import org.mailsift.scanner.TestConfig;
import org.mailsift.scanner.rules.Rule;
import org.mailsift.scanner.rules.StandardRules;

/** An engine with the policy modules of a test configuration over real stores, and messages to scan with it. */
final class PolicyScans {
    private PolicyScans() {
    }

    static ScanEngine engine(TestConfig config, PolicyStores stores) {
        EngineSettings settings = EngineSettings.from(config);
        PolicyModules.Policy policy = PolicyModules.build(config, stores);
        List<Rule> rules = new ArrayList<>(StandardRules.create(settings.options(), Fixtures.CLOCK));
        rules.addAll(policy.rules());
        return new ScanEngine(rules, List.of(), policy.steps(), settings, ParseLimits.DEFAULT, "scanner.test",
                DnsResolver.none(), Duration.ZERO);
    }

    static byte[] message(String headers, String body) {
        return (headers.strip().replace("\n", "\r\n") + "\r\n\r\n" + body.replace("\n", "\r\n")).getBytes(StandardCharsets.UTF_8);
    }

    static Envelope envelope(String ip, String from, String rcpt, String user) {
        return Envelope.builder().clientIp(ip).helo("mx.sender.test").mailFrom(from).addRcpt(rcpt).authUser(user).build();
    }

    static SymbolResult symbol(ScanResult r, String name) {
        return r.symbols().stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }
}

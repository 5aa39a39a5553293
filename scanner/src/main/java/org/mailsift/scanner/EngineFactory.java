package org.mailsift.scanner;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.dns.DnsResolver;
import org.mailsift.core.dns.DnsSettings;
import org.mailsift.core.message.ParseLimits;
import org.mailsift.core.scan.HeaderContributor;
import org.mailsift.scanner.auth.AuthModule;
import org.mailsift.scanner.composites.CompositesRule;
import org.mailsift.scanner.composites.CompositesSettings;
import org.mailsift.scanner.regexp.RegexpModule;
import org.mailsift.scanner.regexp.RegexpSettings;
import org.mailsift.scanner.auth.AuthRule;
import org.mailsift.scanner.hfilter.HostnameModule;
import org.mailsift.scanner.policy.PostScanSteps;
import org.mailsift.scanner.hfilter.HostnameSettings;
import org.mailsift.scanner.multimap.MultimapModule;
import org.mailsift.scanner.rbl.RblModule;
import org.mailsift.scanner.rbl.RblSettings;
import org.mailsift.scanner.rules.Prefilter;
import org.mailsift.scanner.rules.Rule;
import org.mailsift.scanner.rules.StandardRules;

/** Builds a {@link ScanEngine} from the configuration: the standard rules plus any extra ones (Bayes). */
public final class EngineFactory {
    private EngineFactory() {
    }

    /** An engine without DNS: the DNS checks stay silent (CLI tools, configtest, unit tests). */
    public static ScanEngine create(ConfigSource config, List<Rule> extraRules) {
        return create(config, extraRules, DnsResolver.none());
    }

    /**
     * An engine whose DNS checks ask {@code resolver} (the daemon's one resolver), each message bounded by
     * {@code options.inc dns { budget }}.
     */
    public static ScanEngine create(ConfigSource config, List<Rule> extraRules, DnsResolver resolver) {
        return create(config, extraRules, List.of(), resolver);
    }

    /**
     * @param extraRules         rules after the standard ones (Bayes, authentication checks...); with a resolver the
     *                           DNS lists and hostname checks are added too ({@link #networkRules})
     * @param headerContributors modules adding their own headers after the verdict's, in this order (see
     *                           HeaderContributor: Authentication-Results, DKIM-Signature...)
     */
    public static ScanEngine create(ConfigSource config, List<Rule> extraRules, List<HeaderContributor> headerContributors,
                                    DnsResolver resolver) {
        return create(config, extraRules, headerContributors, PostScanSteps.NONE, resolver);
    }

    /** @param postScan policy steps run after scoring (greylist, ratelimit, replies; see PostScanStep) */
    public static ScanEngine create(ConfigSource config, List<Rule> extraRules, List<HeaderContributor> headerContributors,
                                    PostScanSteps postScan, DnsResolver resolver) {
        EngineSettings settings = EngineSettings.from(config);
        List<Rule> rules = new ArrayList<>(extraRules);
        // email authentication (spf/dkim/dmarc/arc.conf, dkim_signing.conf): its checks stay silent without a
        // resolver, but signing works everywhere (filter, deliver); signing and sealing run last
        AuthModule auth = AuthModule.from(config, settings.options().localAddrs(), hostname(settings));
        rules.addAll(auth.rules());
        if (resolver.isEnabled()) {
            // after the authentication checks: the engine applies network results in rule order, and rbl's dkim
            // check reads DKIM_TRACE (its lookups still run in parallel with the DKIM check's)
            rules.addAll(networkRules(config));
            AuthRule.warmUpOnce();
        }
        rules.addAll(siteRules(config));
        List<HeaderContributor> contributors = new ArrayList<>(headerContributors);
        contributors.addAll(auth.headerContributors());
        // multimap.conf: its map files are watched until the engine is closed (a reload replaces it)
        MultimapModule multimap = MultimapModule.from(config);
        try {
            rules.addAll(multimap.rules());
            return create(settings, rules, contributors, postScan, Clock.systemUTC(), resolver,
                    DnsSettings.from(config).budget());
        } catch (RuntimeException e) {
            multimap.close();
            rules.stream().filter(r -> r instanceof RblModule).forEach(r -> ((RblModule) r).close());
            throw e;
        }
    }

    /** The admin's own rules from configuration: regexp.conf, composites.conf (run after every other rule). */
    public static List<Rule> siteRules(ConfigSource config) {
        List<Rule> rules = new ArrayList<>();
        RegexpSettings regexp = RegexpSettings.from(config);
        if (!regexp.rules().isEmpty()) {
            rules.add(new RegexpModule(regexp));
        }
        CompositesSettings composites = CompositesSettings.from(config);
        if (!composites.composites().isEmpty()) {
            rules.add(new CompositesRule(composites));
        }
        return rules;
    }

    static String hostname(EngineSettings settings) {
        return settings.milterHeaders().hostname() != null ? settings.milterHeaders().hostname() : localHostname();
    }

    /** The checks that ask DNS: DNS lists (rbl.conf) and hostname checks (hfilter.conf). */
    public static List<Rule> networkRules(ConfigSource config) {
        List<Rule> rules = new ArrayList<>();
        RblSettings rbl = RblSettings.from(config);
        if (rbl.enabled()) {
            rules.add(new RblModule(rbl));
        }
        HostnameSettings hfilter = HostnameSettings.from(config);
        if (hfilter.enabled()) {
            rules.add(new HostnameModule(hfilter));
        }
        return rules;
    }

    public static ScanEngine create(EngineSettings settings, List<Rule> extraRules, Clock clock) {
        return create(settings, extraRules, clock, DnsResolver.none(), Duration.ZERO);
    }

    public static ScanEngine create(EngineSettings settings, List<Rule> extraRules, Clock clock, DnsResolver resolver,
                                    Duration dnsBudget) {
        return create(settings, extraRules, List.of(), clock, resolver, dnsBudget);
    }

    public static ScanEngine create(EngineSettings settings, List<Rule> extraRules, List<HeaderContributor> headerContributors,
                                    Clock clock, DnsResolver resolver, Duration dnsBudget) {
        return create(settings, extraRules, headerContributors, PostScanSteps.NONE, clock, resolver, dnsBudget);
    }

    public static ScanEngine create(EngineSettings settings, List<Rule> extraRules, List<HeaderContributor> headerContributors,
                                    PostScanSteps postScan, Clock clock, DnsResolver resolver, Duration dnsBudget) {
        // prefilters (multimap prefilter = true) first: a pre-result they force skips every rule after them
        List<Rule> rules = new ArrayList<>(extraRules.stream().filter(r -> r instanceof Prefilter).toList());
        rules.addAll(StandardRules.create(settings.options(), clock));
        rules.addAll(extraRules.stream().filter(r -> !(r instanceof Prefilter)).toList());
        return new ScanEngine(rules, headerContributors, postScan, settings, ParseLimits.DEFAULT, hostname(settings),
                resolver, dnsBudget);
    }

    /** This machine's name, as Rspamd's X-Rspamd-Server (no DNS lookup: the kernel's host name). */
    static String localHostname() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        try {
            java.nio.file.Path p = java.nio.file.Path.of("/etc/hostname");
            if (java.nio.file.Files.isReadable(p)) {
                String s = java.nio.file.Files.readString(p).strip();
                if (!s.isEmpty()) {
                    return s;
                }
            }
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }
}

package org.mailsift.scanner.policy.greylist;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.mailsift.core.dns.PublicSuffix;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.SymbolResult;
import org.mailsift.scanner.policy.PostScanStep;
import org.mailsift.scanner.policy.StoreOutage;
import org.mailsift.scanner.policy.Verdict;
import org.mailsift.scanner.rules.ScanContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rspamd's greylist module as a post-scan step: a message whose action is greylist or stronger (but not reject) from a
 * sender the store has not seen gets the configured action (soft reject: the milter answers 451 4.7.1 "Try again
 * later") and symbol GREYLIST; the same message retried after {@code timeout} passes, and so does anything from the
 * same sender, recipients and network for {@code expire} (extended on every pass); a greylist action that passes is
 * lowered to no action. Anything from the same sender, recipients and network while a record is younger than
 * {@code timeout} is greylisted too, as Rspamd's pre-filter does.
 *
 * <p>Never greylisted: local clients (options.inc {@code local_addrs}) and authenticated senders unless
 * {@code check_local} / {@code check_authed}, {@code whitelisted_ip}, client host names in
 * {@code whitelist_domains_url}, messages with a symbol of {@code whitelist_symbols}, messages with a pre-result,
 * checks by rspamc or with a controller password unless {@code check_local} (Rspamd's is_rspamc_or_controller), and
 * messages without a client IP (not an SMTP transaction). One store call per message; a store that fails passes the message (one log line per outage).
 */
public final class GreylistStep implements PostScanStep, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GreylistStep.class);
    static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);
    private static final Set<Action> ELIGIBLE = Set.of(Action.GREYLIST, Action.ADD_HEADER, Action.REWRITE_SUBJECT,
            Action.SOFT_REJECT);

    private final GreylistSettings settings;
    private final GreylistStore store;
    private final Double greylistThreshold;
    private final Clock clock;
    private final StoreOutage outage;

    /**
     * @param greylistThreshold actions.conf's greylist threshold (null when disabled): without {@code greylist_min_score}
     *                          nothing scoring below it is greylisted
     */
    public GreylistStep(GreylistSettings settings, GreylistStore store, Double greylistThreshold, Clock clock,
                        StoreOutage outage) {
        this.settings = settings;
        this.store = store;
        this.greylistThreshold = greylistThreshold;
        this.clock = clock;
        this.outage = outage;
    }

    /** Stops following the whitelist maps (the engine was replaced or closed). */
    @Override
    public void close() {
        settings.close();
    }

    @Override
    public Verdict afterScoring(ScanContext context, Verdict v) {
        Envelope env = context.envelope();
        if (v.hasPreResult() || env.clientIp() == null || env.clientIp().isBlank()
                || (env.manualCheck() && !settings.checkLocal())) {
            return v;
        }
        if ((!settings.checkAuthed() && env.isAuthenticated()) || (!settings.checkLocal() && context.isLocal())
                || settings.whitelistedIp().get().contains(env.clientIp())) {
            return notGreylisted(v);
        }
        if (whitelistedDomain(env.clientHostname())) {
            return ELIGIBLE.contains(v.action()) ? passed(v, "meta") : v;
        }
        boolean whitelisted = settings.whitelistSymbols().stream().anyMatch(v::hasSymbol);
        Double min = settings.greylistMinScore() != null ? settings.greylistMinScore() : greylistThreshold;
        boolean tooLow = min != null && v.score() < min;
        boolean mayRecord = !whitelisted && !tooLow && ELIGIBLE.contains(v.action());

        long now = clock.instant().getEpochSecond();
        long timeout = settings.timeout().toSeconds();
        if (outage.skip()) {
            return v;
        }
        GreylistRecords records;
        try {
            records = store.check(GreylistKeys.of(context.message(), env, settings), now, timeout,
                    settings.expire().toSeconds(), mayRecord);
            outage.answered();
        } catch (RuntimeException e) {
            outage.failed(e);
            return v;
        }
        GreylistRecords.Decision d = records.decide(now, timeout);
        return switch (d.kind()) {
            case TOO_EARLY -> greylisted(v, d.untilSeconds(), "too early");
            case PASS -> mayRecord ? passed(v, d.passedBy()) : notGreylisted(v);
            case NEW -> mayRecord ? greylisted(v, now + timeout, "new record") : whitelisted || tooLow ? notGreylisted(v) : v;
        };
    }

    private boolean whitelistedDomain(String hostname) {
        Set<String> domains = settings.whitelistDomains().get();
        if (domains.isEmpty() || hostname == null || hostname.isEmpty()) {
            return false;
        }
        String host = hostname.toLowerCase(Locale.ROOT);
        return domains.contains(host) || PublicSuffix.registrableDomain(host).map(domains::contains).orElse(false);
    }

    private Verdict greylisted(Verdict v, long untilSeconds, String why) {
        String until = HTTP_DATE.format(Instant.ofEpochSecond(untilSeconds));
        LOG.debug("greylisted until \"{}\" ({})", until, why);
        String message = settings.reportTime() ? settings.message() + ": " + until : settings.message();
        return v.withSymbol(symbol(List.of("greylisted", until, why))).force(settings.action(), message, "greylist");
    }

    private Verdict passed(Verdict v, String by) {
        return notGreylisted(v).withSymbol(symbol(List.of("pass", by)));
    }

    /** A greylist action that is not greylisting after all is delivered: no action, as Rspamd's disable_action. */
    private static Verdict notGreylisted(Verdict v) {
        return v.action() == Action.GREYLIST ? v.withAction(Action.NO_ACTION) : v;
    }

    private SymbolResult symbol(List<String> options) {
        return new SymbolResult(settings.symbol(), 0, 0, "Greylisting", options);
    }
}

package org.mailsift.scanner.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import org.mailsift.core.message.Envelope;
import org.mailsift.core.message.ParsedMessage;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.HeaderChange;
import org.mailsift.scanner.auth.arc.ArcResult;
import org.mailsift.scanner.auth.dkim.DkimResult;
import org.mailsift.scanner.auth.dmarc.DmarcResult;
import org.mailsift.scanner.auth.spf.SpfResult;
import org.mailsift.scanner.rules.AsyncRule;
import org.mailsift.scanner.rules.MailAddress;
import org.mailsift.scanner.rules.ScanContext;
import org.mailsift.scanner.rules.SymbolDefinition;

/**
 * SPF, DKIM, ARC and DMARC on incoming mail with Rspamd's symbols and weights, and the Authentication-Results
 * header (an incoming one claiming our authserv-id is removed first: spoofing). Local and authenticated senders
 * are not checked unless {@code check_local} / {@code check_authed}, as in Rspamd. Without a resolver (CLI scans)
 * the rule stays silent.
 */
public final class AuthRule implements AsyncRule {
    private static final Executor VIRTUAL = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("auth-", 0).factory());
    private final AuthSettings settings;
    private final String hostname;

    private static final java.util.concurrent.atomic.AtomicBoolean WARM = new java.util.concurrent.atomic.AtomicBoolean();

    public AuthRule(AuthSettings settings, String hostname) {
        this.settings = settings;
        this.hostname = hostname;
    }

    /**
     * Loads the Public Suffix List and the crypto providers (a few hundred ms, once per JVM) by checking a signed
     * message. The engine calls it when it is built with a resolver, before the daemon takes mail: otherwise the
     * first message pays it out of its DNS budget and can lose its authentication results.
     */
    public static void warmUpOnce() {
        if (WARM.compareAndSet(false, true)) {
            warmUp();
        }
    }

    private static void warmUp() {
        try {
            AuthDns none = new AuthDns() {
                private java.util.concurrent.CompletableFuture<Answer> no(String n) {
                    return java.util.concurrent.CompletableFuture.completedFuture(Answer.NONE);
                }

                @Override public java.util.concurrent.CompletableFuture<Answer> txt(String n) { return no(n); }
                @Override public java.util.concurrent.CompletableFuture<Answer> a(String n) { return no(n); }
                @Override public java.util.concurrent.CompletableFuture<Answer> aaaa(String n) { return no(n); }
                @Override public java.util.concurrent.CompletableFuture<Answer> mx(String n) { return no(n); }
                @Override public java.util.concurrent.CompletableFuture<Answer> ptr(String n) { return no(n); }
            };
            java.security.KeyPair k = org.mailsift.scanner.auth.dkim.DkimKeyFiles.generate("ed25519", 0);
            String msg = "From: a@example.com\r\nSubject: x\r\n\r\nx\r\n";
            RawMessage raw = RawMessage.parse(msg.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            String sig = org.mailsift.scanner.auth.dkim.DkimSigner.sign(new org.mailsift.scanner.auth.dkim.HeaderHashInput(raw),
                    "example.com", "s", k.getPrivate(), org.mailsift.scanner.auth.dkim.SignedHeaders.parse("from"),
                    org.mailsift.scanner.auth.dkim.Canonicalization.RELAXED,
                    org.mailsift.scanner.auth.dkim.Canonicalization.RELAXED, 0, 0);
            byte[] signed = ("DKIM-Signature: " + sig + "\r\n" + msg).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            AuthChecks.run(new AuthChecks.Subject(signed, "192.0.2.1", "h.example.com", "a@example.com", "example.com"),
                    none, AuthSettings.DEFAULTS, false, 0);
            java.security.KeyFactory.getInstance("RSA");
            java.security.Signature.getInstance("SHA256withRSA");
        } catch (Exception | LinkageError e) {
            // only a warm-up: the first message pays instead
        }
    }

    @Override
    public List<SymbolDefinition> symbols() {
        return SYMBOLS; // the engine asks for every message (the rule's name): built once
    }

    private static final List<SymbolDefinition> SYMBOLS = List.of(
                new SymbolDefinition("R_SPF_ALLOW", "spf", -0.2, "SPF verification allows sending"),
                new SymbolDefinition("R_SPF_FAIL", "spf", 1.0, "SPF verification failed"),
                new SymbolDefinition("R_SPF_SOFTFAIL", "spf", 0.0, "SPF verification soft-failed"),
                new SymbolDefinition("R_SPF_NEUTRAL", "spf", 0.0, "SPF policy is neutral"),
                new SymbolDefinition("R_SPF_NA", "spf", 0.0, "Missing SPF record"),
                new SymbolDefinition("R_SPF_DNSFAIL", "spf", 0.0, "SPF DNS failure"),
                new SymbolDefinition("R_SPF_PERMFAIL", "spf", 0.0, "SPF record is malformed or persistent DNS error"),
                new SymbolDefinition("R_DKIM_ALLOW", "dkim", -0.2, "DKIM verification succeed"),
                new SymbolDefinition("R_DKIM_REJECT", "dkim", 1.0, "DKIM verification failed"),
                new SymbolDefinition("R_DKIM_TEMPFAIL", "dkim", 0.0, "DKIM verification soft-failed"),
                new SymbolDefinition("R_DKIM_PERMFAIL", "dkim", 0.0, "DKIM verification hard-failed (invalid)"),
                new SymbolDefinition("R_DKIM_NA", "dkim", 0.0, "Missing DKIM signature"),
                new SymbolDefinition("DKIM_TRACE", "dkim", 0.0, "DKIM trace symbol"),
                new SymbolDefinition("DMARC_POLICY_ALLOW", "dmarc", -0.5, "DMARC permit policy"),
                new SymbolDefinition("DMARC_POLICY_REJECT", "dmarc", 2.0, "DMARC reject policy"),
                new SymbolDefinition("DMARC_POLICY_QUARANTINE", "dmarc", 1.5, "DMARC quarantine policy"),
                new SymbolDefinition("DMARC_POLICY_SOFTFAIL", "dmarc", 0.1, "DMARC failed"),
                new SymbolDefinition("DMARC_NA", "dmarc", 0.0, "No DMARC record"),
                new SymbolDefinition("DMARC_BAD_POLICY", "dmarc", 0.0, "DMARC policy was invalid"),
                new SymbolDefinition("DMARC_DNSFAIL", "dmarc", 0.0, "DMARC DNS failure"),
                new SymbolDefinition("ARC_ALLOW", "arc", -1.0, "ARC checks success"),
                new SymbolDefinition("ARC_REJECT", "arc", 1.0, "ARC checks failed"),
                new SymbolDefinition("ARC_INVALID", "arc", 0.5, "ARC structure invalid"),
                new SymbolDefinition("ARC_DNSFAIL", "arc", 0.0, "ARC DNS error"),
                new SymbolDefinition("ARC_NA", "arc", 0.0, "ARC signature absent"));

    @Override
    public CompletionStage<Consumer<ScanContext>> start(ScanContext ctx) {
        if (!ctx.dns().isEnabled()) {
            return CompletableFuture.completedFuture(c -> { });
        }
        Envelope env = ctx.envelope();
        boolean skip = ctx.isLocal() && !settings.checkLocal() || env.isAuthenticated() && !settings.checkAuthed();
        if (skip) {
            return CompletableFuture.completedFuture(c -> { });
        }
        ParsedMessage message = ctx.message();
        String authservId = env.mtaName() != null && !env.mtaName().isBlank() ? env.mtaName().strip() : hostname;
        String from = firstFromAddress(message);
        AuthChecks.Subject subject = new AuthChecks.Subject(message.raw(), env.clientIp(), env.helo(), env.mailFrom(),
                AuthChecks.fromDomain(from));
        List<Integer> spoofed = spoofedResults(message, authservId);
        AuthDns dns = new ResolverAuthDns(ctx.dns());
        long now = System.currentTimeMillis() / 1000;
        // With every answer cached (a busy server's usual case) the checks never wait: run them right here. Only
        // when a lookup is still out do they move to a virtual thread and start over (the lookups made so far are
        // in flight or cached by then, so asking again costs nothing).
        AnsweredOnly answered = new AnsweredOnly(dns);
        AuthChecks inline = AuthChecks.run(subject, answered, settings, false, now);
        CompletableFuture<AuthChecks> checks = answered.complete()
                ? CompletableFuture.completedFuture(inline)
                : CompletableFuture.supplyAsync(() -> AuthChecks.run(subject, dns, settings, false, now), VIRTUAL);
        return checks.thenApply(done -> c -> report(c, done, authservId, env.clientIp(), spoofed));
    }

    /**
     * The lookups whose answers are already there; any other makes a TEMPFAIL at once and marks the run incomplete
     * (its results are thrown away), so a run through it never blocks.
     */
    static final class AnsweredOnly implements AuthDns {
        private final AuthDns dns;
        private volatile boolean missed;

        AnsweredOnly(AuthDns dns) {
            this.dns = dns;
        }

        /** Whether every lookup so far was answered at once. */
        boolean complete() {
            return !missed;
        }

        private CompletableFuture<Answer> now(CompletableFuture<Answer> f) {
            if (f.isDone()) {
                return f;
            }
            missed = true;
            return CompletableFuture.completedFuture(Answer.TEMPFAIL);
        }

        @Override
        public CompletableFuture<Answer> txt(String name) {
            return now(dns.txt(name));
        }

        @Override
        public CompletableFuture<Answer> a(String name) {
            return now(dns.a(name));
        }

        @Override
        public CompletableFuture<Answer> aaaa(String name) {
            return now(dns.aaaa(name));
        }

        @Override
        public CompletableFuture<Answer> mx(String name) {
            return now(dns.mx(name));
        }

        @Override
        public CompletableFuture<Answer> ptr(String name) {
            return now(dns.ptr(name));
        }
    }

    private void report(ScanContext ctx, AuthChecks checks, String authservId, String clientIp, List<Integer> spoofed) {
        if (checks.dkim() != null) {
            if (checks.dkim().isEmpty()) {
                ctx.insert("R_DKIM_NA");
            }
            for (DkimResult r : checks.dkim()) {
                String sym = switch (r.status()) {
                    case PASS -> "R_DKIM_ALLOW";
                    case REJECT -> "R_DKIM_REJECT";
                    case TEMPFAIL -> "R_DKIM_TEMPFAIL";
                    case PERMFAIL -> "R_DKIM_PERMFAIL";
                };
                String who = r.domain().isEmpty() ? "unknown" : r.domain();
                ctx.insert(sym, r.selector().isEmpty() ? who : who + ":s=" + r.selector());
                ctx.insert("DKIM_TRACE", who + ":" + r.status().trace());
            }
        }
        ArcResult arc = checks.arc();
        if (arc != null) {
            if (arc.outcome() == ArcResult.Outcome.PASS) {
                ctx.insert(arc.outcome().symbol(), arc.domain() + ":s=" + arc.selector() + ":i=" + arc.instances());
            } else if (arc.reason() != null) {
                ctx.insert(arc.outcome().symbol(), arc.reason());
            } else {
                ctx.insert(arc.outcome().symbol());
            }
        }
        SpfResult spf = checks.spf();
        if (spf != null) {
            ctx.insert(spf.result().symbol(), spfOption(spf));
        }
        DmarcResult dmarc = checks.dmarc();
        if (dmarc != null) {
            List<String> options = new ArrayList<>();
            switch (dmarc.outcome()) {
                case PASS -> {
                    options.add(dmarc.fromDomain());
                    options.add(dmarc.policy().word());
                }
                case FAIL -> {
                    options.add(dmarc.fromDomain() + " : " + dmarc.reason());
                    options.add(dmarc.sampledOut() ? "sampled_out" : dmarc.policy().word());
                }
                case NONE -> { }
                default -> options.add(dmarc.fromDomain() + " : " + dmarc.reason());
            }
            ctx.insert(dmarc.symbol(), 1.0, options);
            enforce(ctx, dmarc);
        }
        // spoofed copies claiming to be ours go first, last instance first so the numbers stay right
        for (int i = spoofed.size() - 1; i >= 0; i--) {
            ctx.addHeaderChange(new HeaderChange(HeaderChange.Kind.REMOVE, "Authentication-Results", null, spoofed.get(i)));
        }
        ctx.addHeaderChange(new HeaderChange(HeaderChange.Kind.ADD, "Authentication-Results",
                AuthenticationResults.render(authservId, checks.dkim(), arc, spf, clientIp, dmarc), 0));
    }

    private void enforce(ScanContext ctx, DmarcResult dmarc) {
        if (dmarc.outcome() != DmarcResult.Outcome.FAIL || dmarc.sampledOut()) {
            return;
        }
        if (dmarc.policy() == org.mailsift.scanner.auth.dmarc.DmarcRecord.Policy.REJECT && settings.dmarcReject() != null) {
            ctx.forceAction(settings.dmarcReject(), "Rejected due to DMARC Policy");
        } else if (dmarc.policy() == org.mailsift.scanner.auth.dmarc.DmarcRecord.Policy.QUARANTINE
                && settings.dmarcQuarantine() != null) {
            Action a = settings.dmarcQuarantine();
            ctx.forceAction(a, "Quarantined due to DMARC Policy");
        }
    }

    private static String spfOption(SpfResult spf) {
        return switch (spf.result()) {
            case PASS, FAIL, SOFTFAIL, NEUTRAL -> qualifier(spf.result()) + spf.reason();
            default -> spf.reason() == null ? spf.domain() : spf.domain() + " : " + spf.reason();
        };
    }

    private static String qualifier(SpfResult.Result r) {
        return switch (r) {
            case FAIL -> "-";
            case SOFTFAIL -> "~";
            case NEUTRAL -> "?";
            default -> "+";
        };
    }

    /** 1-based instance numbers of Authentication-Results fields whose authserv-id is ours. */
    static List<Integer> spoofedResults(ParsedMessage message, String authservId) {
        List<Integer> out = new ArrayList<>();
        int n = 0;
        for (ParsedMessage.Header h : message.headers()) {
            if (h.name().equalsIgnoreCase("Authentication-Results")) {
                n++;
                if (AuthenticationResults.authservIdOf(h.rawValue()).equalsIgnoreCase(authservId)) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    static String firstFromAddress(ParsedMessage message) {
        for (ParsedMessage.Header h : message.headers()) {
            if (h.name().equalsIgnoreCase("From")) {
                List<MailAddress> list = MailAddress.parseList(h.rawValue());
                return list.isEmpty() ? null : list.get(0).addr();
            }
        }
        return null;
    }
}

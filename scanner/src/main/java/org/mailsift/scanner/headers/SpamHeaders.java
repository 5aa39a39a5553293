package org.mailsift.scanner.headers;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.mailsift.core.message.ParsedMessage;
import org.mailsift.core.message.VerdictSeal;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.HeaderChange;
import org.mailsift.core.scan.SymbolResult;
import org.mailsift.scanner.settings.MilterHeadersSettings;

/**
 * The verdict's own header edits, the head of the one ordered list every path applies (see HeaderChange), in the
 * order Rspamd's milter_headers plugin and proxy produce them: removal of headers that only a filter may set
 * (spoofing, our verdict seal included), X-Spamd-Result, X-Rspamd-Pre-Result for forced actions, X-Rspamd-Queue-Id,
 * X-Rspamd-Server, X-Rspamd-Action, X-Spam-Status, X-Spam-Level, X-Spamd-Bar, then for add header and stronger the
 * spam header ({@code spam_header}, X-Spam) replacing every incoming copy, and the rewritten Subject.
 * Other modules' edits (rules through ScanContext, HeaderContributors) follow these in the engine.
 */
public final class SpamHeaders {
    /** Headers that only a filter sets; copies arriving from outside are removed. */
    static final List<String> SPOOFABLE = List.of("X-Spam", "X-Spamd-Result", "X-Spam-Status", "X-Spam-Level",
            "X-Spamd-Bar", "X-Rspamd-Queue-Id", "X-Rspamd-Server", "X-Rspamd-Action", "X-Rspamd-Pre-Result",
            VerdictSeal.HEADER);

    private SpamHeaders() {
    }

    /**
     * What the headers describe.
     *
     * @param forcedAction action forced by a rule (pre-result), or null
     * @param forcedBy     the module that forced it (e.g. GTUBE)
     * @param smtpMessage  the forced action's message
     */
    public record Scoring(double score, double requiredScore, Action action, List<SymbolResult> symbols, String queueId,
                          Action forcedAction, String forcedBy, String smtpMessage, String rewrittenSubject) {
    }

    public static List<HeaderChange> render(Scoring v, ParsedMessage message, boolean local, boolean authenticated,
                                            MilterHeadersSettings settings, String hostname) {
        List<HeaderChange> changes = new ArrayList<>();
        Set<String> present = new LinkedHashSet<>();
        for (ParsedMessage.Header h : message.headers()) {
            String lower = h.name().toLowerCase(Locale.ROOT);
            for (String s : SPOOFABLE) {
                if (s.equalsIgnoreCase(h.name())) {
                    present.add(s);
                }
            }
            if (lower.startsWith("x-rspamd-")) {
                present.add(h.name());
            }
        }
        boolean spamHeaderRemoved = false;
        for (String name : dedupeIgnoreCase(present)) {
            if (!name.equalsIgnoreCase("X-Spam") || settings.removeUpstreamSpamFlag()) {
                changes.add(HeaderChange.removeAll(name));
                spamHeaderRemoved |= name.equalsIgnoreCase(settings.spamHeader());
            }
        }
        add(changes, v, settings, local, authenticated, "x-spamd-result", () -> {
            changes.add(HeaderChange.add("X-Spamd-Result", spamdResult(v)));
            if (v.forcedAction() != null) {
                List<String> pr = new ArrayList<>();
                pr.add("action=" + v.forcedAction().wireName());
                if (v.forcedBy() != null && !v.forcedBy().isEmpty()) {
                    pr.add("module=" + v.forcedBy());
                }
                if (v.smtpMessage() != null) {
                    pr.add(v.smtpMessage());
                }
                changes.add(HeaderChange.add("X-Rspamd-Pre-Result", HeaderFolding.foldAfter(String.join("; ", pr), ';')));
            }
        });
        add(changes, v, settings, local, authenticated, "x-rspamd-queue-id", () -> {
            if (v.queueId() != null && !v.queueId().isEmpty()) {
                changes.add(HeaderChange.add("X-Rspamd-Queue-Id", v.queueId()));
            }
        });
        add(changes, v, settings, local, authenticated, "x-rspamd-server",
                () -> changes.add(HeaderChange.add("X-Rspamd-Server", hostname)));
        add(changes, v, settings, local, authenticated, "x-rspamd-action",
                () -> changes.add(HeaderChange.add("X-Rspamd-Action", v.action().wireName())));
        add(changes, v, settings, local, authenticated, "x-spam-status", () -> changes.add(HeaderChange.add(
                "X-Spam-Status", (v.action().isSpam() ? "Yes" : "No") + ", score=" + two(v.score()))));
        add(changes, v, settings, local, authenticated, "x-spam-level", () -> {
            if (v.score() >= 1) {
                changes.add(HeaderChange.add("X-Spam-Level", "*".repeat(bar(v.score()))));
            }
        });
        // Rspamd checks skip rules for this routine under the name "x-rspamd-bar"
        add(changes, v, settings, local, authenticated, "x-spamd-bar", () -> {
            String bar;
            if (v.score() <= -1) {
                bar = "-".repeat(bar(-v.score()));
            } else if (v.score() >= 1) {
                bar = "+".repeat(bar(v.score()));
            } else {
                bar = "/";
            }
            changes.add(HeaderChange.add("X-Spamd-Bar", bar));
        });
        if (v.action().isSpam()) {
            // Rspamd's proxy: drop every incoming copy so the sender cannot choose the value, then add ours
            if (!spamHeaderRemoved) {
                changes.add(HeaderChange.removeAll(settings.spamHeader()));
            }
            changes.add(HeaderChange.add(settings.spamHeader(), "Yes"));
        }
        if (v.rewrittenSubject() != null) {
            changes.add(HeaderChange.set("Subject", v.rewrittenSubject()));
        }
        return changes;
    }

    private static int bar(double score) {
        return (int) Math.min(Math.floor(score), 1000);
    }

    private static void add(List<HeaderChange> changes, Scoring v, MilterHeadersSettings s, boolean local,
                            boolean authenticated, String routine, Runnable body) {
        if (!s.routines().contains(routine)) {
            return;
        }
        if (s.skipLocal() && local && !s.localHeaders().contains(routine)) {
            return;
        }
        if (s.skipAuthenticated() && authenticated && !s.authenticatedHeaders().contains(routine)) {
            return;
        }
        body.run();
    }

    /** "default: False [7.30 / 15.00]; SYM(1.00)[opt]; ..." folded after each ';'. Symbols must be pre-sorted. */
    public static String spamdResult(Scoring v) {
        StringBuilder sb = new StringBuilder(64 + v.symbols().size() * 32);
        sb.append("default: ").append(v.action() == Action.REJECT ? "True" : "False")
                .append(" [").append(two(v.score())).append(" / ").append(two(v.requiredScore())).append(']');
        for (SymbolResult s : v.symbols()) {
            sb.append("; ").append(s.name()).append('(').append(two(s.score())).append(")[")
                    .append(String.join(",", s.options())).append(']');
        }
        return HeaderFolding.foldAfter(sb.toString(), ';');
    }

    static String two(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return String.format(Locale.ROOT, "%.2f", d);
        }
        // what %.2f prints (half-up on the shortest decimal form, "-0.00" kept), without a Formatter per symbol
        String abs = java.math.BigDecimal.valueOf(Math.abs(d)).setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
        return d < 0 || d == 0 && 1 / d < 0 ? "-" + abs : abs;
    }

    private static List<String> dedupeIgnoreCase(Set<String> names) {
        List<String> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String n : names) {
            if (seen.add(n.toLowerCase(Locale.ROOT))) {
                out.add(n);
            }
        }
        return out;
    }
}

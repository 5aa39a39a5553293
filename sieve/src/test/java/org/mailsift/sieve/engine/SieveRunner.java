package org.mailsift.sieve.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.jsieve.mail.Action;
import org.apache.jsieve.mail.optional.ActionVacation;
import org.mailsift.sieve.SieveTestOracle;

/** Runs a script with our engine and prints its decisions the way {@link SieveTestOracle} normalises sieve-test's. */
public final class SieveRunner {
    private static final SieveEngine ENGINE = new SieveEngine();

    private SieveRunner() {
    }

    public static List<String> run(String script, byte[] message, String from, String to, SpamScore score, Set<String> existing)
            throws SieveScriptException {
        SieveMail mail = new SieveMail(MailMessage.parse(message), new SieveEnvelope(from, to, null), score,
                existing::contains, Map.of("\\Junk", "Junk"));
        SieveRun run = ENGINE.run(ENGINE.compile("test.sieve", script), mail);
        return describe(run.effectiveActions());
    }

    public static List<String> run(String script, String message) throws SieveScriptException {
        MailMessage m = MailMessage.parse(message.getBytes(StandardCharsets.UTF_8));
        SpamScore score = m.firstHeader("X-Spamd-Result").flatMap(SpamScore::fromSpamdResult).orElse(null);
        return run(script, message.getBytes(StandardCharsets.UTF_8), "ann@a.example", "bob@b.example", score, Set.of("INBOX"));
    }

    public static List<String> describe(List<Action> actions) {
        List<String> out = new ArrayList<>();
        for (Action a : actions) {
            if (a instanceof SieveActions.Store s) {
                String line = "store " + (s.isKeep() ? "INBOX" : s.mailbox());
                out.add(s.flags().isEmpty() ? line : line + " flags=" + SieveTestOracle.flags(s.flags()));
            } else if (a instanceof SieveActions.Redirect r) {
                out.add("redirect " + r.address());
            } else if (a instanceof SieveActions.Reject) {
                out.add("reject");
            } else if (a instanceof ActionVacation) {
                out.add("vacation");
            }
        }
        return out;
    }
}

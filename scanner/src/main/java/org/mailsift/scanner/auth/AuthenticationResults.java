package org.mailsift.scanner.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.mailsift.scanner.auth.arc.ArcResult;
import org.mailsift.scanner.auth.dkim.DkimResult;
import org.mailsift.scanner.auth.dmarc.DmarcResult;
import org.mailsift.scanner.auth.spf.SpfResult;

/**
 * The Authentication-Results value (RFC 8601) in Rspamd's wording and order: dkim, arc, spf, dmarc, each
 * method on its own folded line.
 */
public final class AuthenticationResults {
    private AuthenticationResults() {
    }

    public static String render(String authservId, List<DkimResult> dkim, ArcResult arc, SpfResult spf,
                                String clientIp, DmarcResult dmarc) {
        List<String> parts = new ArrayList<>();
        parts.add(authservId);
        if (dkim != null) {
            if (dkim.isEmpty()) {
                parts.add("dkim=none");
            }
            for (DkimResult r : dkim) {
                StringBuilder sb = new StringBuilder("dkim=").append(r.status().arWord());
                if (r.status() != DkimResult.Status.PASS && r.reason() != null) {
                    sb.append(" (\"").append(comment(r.reason())).append("\")");
                }
                if (!r.domain().isEmpty()) {
                    sb.append(" header.d=").append(r.domain());
                }
                if (!r.selector().isEmpty()) {
                    sb.append(" header.s=").append(r.selector());
                }
                if (!r.shortB().isEmpty()) {
                    sb.append(" header.b=").append(r.shortB());
                }
                parts.add(sb.toString());
            }
        }
        if (arc != null) {
            StringBuilder sb = new StringBuilder("arc=").append(arc.outcome().cv());
            if (arc.outcome() == ArcResult.Outcome.PASS) {
                sb.append(" (\"").append(arc.domain()).append(":s=").append(arc.selector()).append(":i=")
                        .append(arc.instances()).append("\")");
            } else if (arc.reason() != null) {
                sb.append(" (\"").append(comment(arc.reason())).append("\")");
            }
            parts.add(sb.toString());
        }
        if (spf != null) {
            parts.add(spf(authservId, spf, clientIp));
        }
        if (dmarc != null) {
            parts.add(dmarc(dmarc));
        }
        return String.join(";\r\n\t", parts);
    }

    static String spf(String host, SpfResult spf, String ip) {
        String who = spf.identity();
        String comment = switch (spf.result()) {
            case PASS -> host + ": domain of " + who + " designates " + ip + " as permitted sender";
            case FAIL -> host + ": domain of " + who + " does not designate " + ip + " as permitted sender";
            case SOFTFAIL -> host + ": domain of transitioning " + who + " does not designate " + ip + " as permitted sender";
            case NEUTRAL -> host + ": " + ip + " is neither permitted nor denied by domain of " + who;
            case NONE -> host + ": domain of " + who + " has no SPF policy when checking " + ip;
            case TEMPERROR -> host + ": error in processing during lookup of " + who + ": DNS error";
            case PERMERROR -> host + ": domain of " + who + " uses mechanism not recognized by this client";
        };
        String property = spf.helo() ? "smtp.helo=" + spf.domain() : "smtp.mailfrom=" + who;
        return "spf=" + spf.result().word() + " (" + comment(comment) + ") " + property;
    }

    static String dmarc(DmarcResult d) {
        return switch (d.outcome()) {
            case PASS -> "dmarc=pass (policy=" + d.policy().word() + ") header.from=" + d.fromDomain();
            case FAIL -> "dmarc=fail reason=" + quoted(d.reason()) + " header.from=" + d.fromDomain()
                    + " (policy=" + d.policy().word() + ")";
            case NONE -> "dmarc=none";
            case TEMPERROR -> "dmarc=temperror header.from=" + d.fromDomain();
            case PERMERROR -> "dmarc=permerror header.from=" + d.fromDomain();
        };
    }

    /** Text inside a comment or quoted string: no parentheses, quotes, backslashes or control characters. */
    static String comment(String s) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), 200));
        for (int i = 0; i < s.length() && sb.length() < 200; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7f || c == '(' || c == ')' || c == '"' || c == '\\' ? ' ' : c);
        }
        return sb.toString();
    }

    /**
     * An RFC 5322 quoted-string, as Rspamd quotes a DMARC reason ("SPF not aligned (relaxed), No valid DKIM"):
     * parentheses kept, quote and backslash escaped, control characters dropped.
     */
    static String quoted(String s) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), 200) + 2).append('"');
        for (int i = 0; i < s.length() && sb.length() < 200; i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c < 0x20 || c == 0x7f ? ' ' : c);
        }
        return sb.append('"').toString();
    }

    /** The authserv-id of an Authentication-Results value (before the first ';'), lower case. */
    public static String authservIdOf(String value) {
        String v = value.strip();
        int semi = v.indexOf(';');
        String id = (semi < 0 ? v : v.substring(0, semi)).strip();
        int space = id.indexOf(' ');
        if (space > 0) {
            id = id.substring(0, space); // "host 1" (version) -> host
        }
        return id.toLowerCase(Locale.ROOT);
    }
}

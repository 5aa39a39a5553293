package org.mailsift.controller.protocol;

import org.mailsift.controller.api.RequestHeaders;
import org.mailsift.core.learn.LearnClass;
import org.mailsift.core.learn.LearnRequest;
import org.mailsift.core.message.Envelope;

/** Rspamd's request headers (protocol.c rspamd_protocol_handle_headers) mapped onto our envelope and learn request. */
public final class RequestEnvelope {
    private RequestEnvelope() {
    }

    public static Envelope envelope(RequestHeaders h) {
        Envelope.Builder b = Envelope.builder()
                .clientIp(stripBrackets(h.first("Ip")))
                .helo(h.first("Helo"))
                .clientHostname(h.first("Hostname"))
                .mailFrom(from(h))
                .authUser(h.first("User"))
                .queueId(h.first("Queue-Id"))
                .mtaName(h.first("MTA-Name"))
                .tlsVersion(h.first("TLS-Version"))
                .tlsCipher(h.first("TLS-Cipher"))
                .deliverTo(h.first("Deliver-To"))
                // settings.conf by id (rspamc --header 'Settings-Id: x'), or an apply block inline (Settings: {...})
                .settingsId(h.first("Settings-Id"))
                .settings(h.first("Settings"))
                // rspamc and the web interface, not an MTA (Rspamd's is_rspamc_or_controller): no greylisting
                .manualCheck("rspamc".equals(h.first("User-Agent")) || h.has("Password"));
        for (String name : h.names()) {
            if (!name.equalsIgnoreCase("Password") && h.first(name) != null) {
                b.requestHeader(name, h.first(name)); // settings.conf request_header (never the password)
            }
        }
        for (String rcpt : h.all("Rcpt")) {
            for (String one : rcpt.split(",")) {
                String a = angle(one.trim());
                if (!a.isEmpty()) {
                    b.addRcpt(a);
                }
            }
        }
        return b.build();
    }

    /**
     * A learn request: per-user statistics follow Deliver-To (rspamc -d), else a single Rcpt; {@code Learn-Type: bulk}
     * skips the probability guard.
     */
    public static LearnRequest learnRequest(LearnClass learnClass, RequestHeaders h) {
        String user = envelope(h).statisticsOwner();
        boolean bulk = "bulk".equalsIgnoreCase(h.first("Learn-Type"));
        return new LearnRequest(learnClass, user, bulk, "http");
    }

    private static String from(RequestHeaders h) {
        String f = h.first("From");
        if (f == null) {
            // "From: <>" (null sender) is blank after trim; keep it as "" rather than unknown
            return h.has("From") ? "" : null;
        }
        return angle(f);
    }

    private static String angle(String v) {
        String s = v.trim();
        if (s.startsWith("<") && s.endsWith(">")) {
            s = s.substring(1, s.length() - 1).trim();
        }
        return s;
    }

    private static String stripBrackets(String ip) {
        if (ip != null && ip.startsWith("[") && ip.endsWith("]")) {
            return ip.substring(1, ip.length() - 1);
        }
        return ip;
    }
}

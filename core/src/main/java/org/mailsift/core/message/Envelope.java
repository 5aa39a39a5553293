package org.mailsift.core.message;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the MTA (or an HTTP client) tells us about a message besides its bytes.
 * Every field may be null or empty when unknown; {@link #EMPTY} is a message with no envelope at all
 * (a file scanned from the CLI).
 *
 * @param clientIp        connecting client's address, textual (IPv4 or IPv6), or null
 * @param helo            HELO/EHLO name
 * @param clientHostname  reverse DNS name of the client ("unknown" is normalised to null)
 * @param mailFrom        SMTP MAIL FROM without angle brackets ("" for the null sender)
 * @param rcptTo          SMTP RCPT TO addresses without angle brackets
 * @param authUser        SASL authenticated user ({auth_authen} / HTTP {@code User})
 * @param queueId         MTA queue id ({i} / HTTP {@code Queue-Id})
 * @param mtaName         MTA name ({daemon_name}, {j} / HTTP {@code MTA-Name})
 * @param tlsVersion      TLS version of the client connection
 * @param tlsCipher       TLS cipher of the client connection
 * @param deliverTo       final mailbox owner for per-user statistics (HTTP {@code Deliver-To})
 * @param settingsId      the settings (settings.conf) the client asks for by id (HTTP {@code Settings-Id})
 * @param settings        settings the client sends inline as UCL/JSON, an {@code apply} block (HTTP {@code Settings})
 * @param manualCheck     asked by a person's tool, not by an MTA: HTTP {@code User-Agent: rspamc} or a {@code Password}
 *                        header (Rspamd's is_rspamc_or_controller); greylisting leaves such scans alone
 * @param requestHeaders  the HTTP request's headers, first value of each, names case-insensitive (settings.conf
 *                        {@code request_header}); empty for the milter and the CLI
 */
public record Envelope(String clientIp, String helo, String clientHostname, String mailFrom, List<String> rcptTo,
                       String authUser, String queueId, String mtaName, String tlsVersion, String tlsCipher,
                       String deliverTo, String settingsId, String settings, boolean manualCheck,
                       Map<String, String> requestHeaders) {

    public static final Envelope EMPTY = new Envelope(null, null, null, null, List.of(), null, null, null, null, null, null);

    /** An envelope without settings asked for by the client (the milter's, the CLI's). */
    public Envelope(String clientIp, String helo, String clientHostname, String mailFrom, List<String> rcptTo,
                    String authUser, String queueId, String mtaName, String tlsVersion, String tlsCipher,
                    String deliverTo) {
        this(clientIp, helo, clientHostname, mailFrom, rcptTo, authUser, queueId, mtaName, tlsVersion, tlsCipher,
                deliverTo, null, null, false);
    }

    /** An envelope without HTTP request headers. */
    public Envelope(String clientIp, String helo, String clientHostname, String mailFrom, List<String> rcptTo,
                    String authUser, String queueId, String mtaName, String tlsVersion, String tlsCipher,
                    String deliverTo, String settingsId, String settings, boolean manualCheck) {
        this(clientIp, helo, clientHostname, mailFrom, rcptTo, authUser, queueId, mtaName, tlsVersion, tlsCipher,
                deliverTo, settingsId, settings, manualCheck, Map.of());
    }

    /** An envelope from an MTA (not a manual check). */
    public Envelope(String clientIp, String helo, String clientHostname, String mailFrom, List<String> rcptTo,
                    String authUser, String queueId, String mtaName, String tlsVersion, String tlsCipher,
                    String deliverTo, String settingsId, String settings) {
        this(clientIp, helo, clientHostname, mailFrom, rcptTo, authUser, queueId, mtaName, tlsVersion, tlsCipher,
                deliverTo, settingsId, settings, false);
    }

    public Envelope {
        rcptTo = rcptTo == null ? List.of() : List.copyOf(rcptTo);
        TreeMap<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (requestHeaders != null) {
            headers.putAll(requestHeaders);
        }
        requestHeaders = Collections.unmodifiableMap(headers);
        if ("unknown".equalsIgnoreCase(clientHostname)) {
            clientHostname = null;
        }
    }

    public boolean isAuthenticated() {
        return authUser != null && !authUser.isEmpty();
    }

    /** The owner whose per-user statistics apply: Deliver-To, else the single recipient, else null. */
    public String statisticsOwner() {
        if (deliverTo != null && !deliverTo.isEmpty()) {
            return deliverTo;
        }
        return rcptTo.size() == 1 ? rcptTo.get(0) : null;
    }

    public Envelope withDeliverTo(String owner) {
        return new Envelope(clientIp, helo, clientHostname, mailFrom, rcptTo, authUser, queueId, mtaName, tlsVersion,
                tlsCipher, owner, settingsId, settings, manualCheck, requestHeaders);
    }

    public Envelope withQueueId(String id) {
        return new Envelope(clientIp, helo, clientHostname, mailFrom, rcptTo, authUser, id, mtaName, tlsVersion,
                tlsCipher, deliverTo, settingsId, settings, manualCheck, requestHeaders);
    }

    /** The HTTP request header {@code name}, or null. */
    public String requestHeader(String name) {
        return requestHeaders.get(name);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Mutable builder for protocol code that learns the envelope step by step (milter, HTTP headers). */
    public static final class Builder {
        private String clientIp, helo, clientHostname, mailFrom, authUser, queueId, mtaName, tlsVersion, tlsCipher, deliverTo;
        private String settingsId, settings;
        private boolean manualCheck;
        private final Map<String, String> requestHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private final java.util.ArrayList<String> rcptTo = new java.util.ArrayList<>();

        public Builder clientIp(String v) { clientIp = v; return this; }
        public Builder helo(String v) { helo = v; return this; }
        public Builder clientHostname(String v) { clientHostname = v; return this; }
        public Builder mailFrom(String v) { mailFrom = v; return this; }
        public Builder addRcpt(String v) { rcptTo.add(v); return this; }
        public Builder clearRcpt() { rcptTo.clear(); return this; }
        public Builder authUser(String v) { authUser = v; return this; }
        public Builder queueId(String v) { queueId = v; return this; }
        public Builder mtaName(String v) { mtaName = v; return this; }
        public Builder tlsVersion(String v) { tlsVersion = v; return this; }
        public Builder tlsCipher(String v) { tlsCipher = v; return this; }
        public Builder deliverTo(String v) { deliverTo = v; return this; }
        public Builder settingsId(String v) { settingsId = v; return this; }
        public Builder settings(String v) { settings = v; return this; }
        public Builder manualCheck(boolean v) { manualCheck = v; return this; }
        public Builder requestHeader(String name, String value) { requestHeaders.putIfAbsent(name, value); return this; }

        public Envelope build() {
            return new Envelope(clientIp, helo, clientHostname, mailFrom, rcptTo, authUser, queueId, mtaName, tlsVersion,
                    tlsCipher, deliverTo, settingsId, settings, manualCheck, requestHeaders);
        }
    }
}

package org.mailsift.milter.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.mailsift.core.message.Envelope;
import org.mailsift.milter.MilterLimits;
import org.mailsift.milter.codec.MilterCommand;
import org.mailsift.milter.codec.MilterProtocol;

/**
 * What the MTA told us about the connection (CONNECT, HELO, their macros) and the current message (MAIL, RCPT, their
 * macros), turned into an {@link Envelope} the way Rspamd's milter maps macros to its HTTP headers.
 */
final class EnvelopeFacts {
    private final MilterLimits limits;

    // connection facts
    private MilterCommand.Connect connect;
    private String helo;
    private final Map<String, String> connectionMacros = new HashMap<>();

    // the current message
    private String mailFrom;
    private final List<String> rcpts = new ArrayList<>();
    private final Map<String, String> messageMacros = new HashMap<>();
    private long connectionMacroBytes;
    private long messageMacroBytes;

    EnvelopeFacts(MilterLimits limits) {
        this.limits = limits;
    }

    void connect(MilterCommand.Connect c) {
        connect = c;
    }

    void helo(String name) {
        helo = name;
    }

    void mail(String address) {
        mailFrom = stripBrackets(checkedAddress("MAIL", address));
        rcpts.clear();
    }

    void rcpt(String address) {
        if (rcpts.size() >= limits.maxRecipients()) {
            throw new SessionLimitException("more than " + limits.maxRecipients() + " recipients (max_recipients)");
        }
        rcpts.add(stripBrackets(checkedAddress("RCPT", address)));
    }

    private String checkedAddress(String command, String address) {
        if (address.length() > limits.maxAddressBytes()) {
            throw new SessionLimitException(command + " address of " + address.length() + " characters (at most "
                    + limits.maxAddressBytes() + ")");
        }
        return address;
    }

    void macros(MilterCommand.Macro m) {
        // macros sent for CONNECT and HELO describe the connection; the others belong to the current message
        boolean connection = m.forCommand() == MilterProtocol.CMD_CONNECT || m.forCommand() == MilterProtocol.CMD_HELO;
        Map<String, String> target = connection ? connectionMacros : messageMacros;
        long delta = 0;
        for (Map.Entry<String, String> e : m.macros().entrySet()) {
            String name = bare(e.getKey());
            String old = target.put(name, e.getValue());
            delta += name.length() + e.getValue().length() - (old == null ? 0 : name.length() + old.length());
        }
        if (connection) {
            connectionMacroBytes += delta;
        } else {
            messageMacroBytes += delta;
        }
        if (connectionMacroBytes + messageMacroBytes > limits.maxMacroBytes()) {
            throw new SessionLimitException("macros of more than " + limits.maxMacroBytes() + " bytes (max_macro_size)");
        }
    }

    /** Characters held for macros and recipients, for tests and diagnostics. */
    long retainedChars() {
        long n = connectionMacroBytes + messageMacroBytes;
        for (String r : rcpts) {
            n += r.length();
        }
        return n;
    }

    void resetMessage() {
        mailFrom = null;
        rcpts.clear();
        messageMacros.clear();
        messageMacroBytes = 0;
    }

    void resetConnection() {
        connect = null;
        helo = null;
        connectionMacros.clear();
        connectionMacroBytes = 0;
    }

    /** {i} queue id, {auth_authen}, {daemon_name} or j, {client_addr} or the CONNECT address, {tls_version}, {cipher}. */
    Envelope envelope() {
        Envelope.Builder b = Envelope.builder()
                .helo(helo)
                .mailFrom(mailFrom)
                .queueId(macro("i"))
                .authUser(emptyToNull(macro("auth_authen")))
                .mtaName(macro("daemon_name") != null ? macro("daemon_name") : macro("j"))
                .tlsVersion(macro("tls_version"))
                .tlsCipher(macro("cipher"));
        String ip = macro("client_addr");
        String host = macro("client_name");
        if (connect != null) {
            if (ip == null && (connect.family() == MilterCommand.Family.INET || connect.family() == MilterCommand.Family.INET6)) {
                ip = connect.address();
            }
            if (connect.hostname() != null && !connect.hostname().isEmpty() && !connect.hostname().startsWith("[")) {
                host = connect.hostname(); // Postfix: the verified client name or "unknown" (dropped by Envelope)
            }
        }
        b.clientIp(emptyToNull(ip)).clientHostname(emptyToNull(host));
        rcpts.forEach(b::addRcpt);
        return b.build();
    }

    private String macro(String name) {
        String v = messageMacros.get(name);
        return v != null ? v : connectionMacros.get(name);
    }

    /** "{auth_authen}" and "auth_authen" name the same macro (Sendmail sends single letters bare). */
    private static String bare(String macro) {
        return macro.length() > 2 && macro.startsWith("{") && macro.endsWith("}") ? macro.substring(1, macro.length() - 1) : macro;
    }

    private static String stripBrackets(String address) {
        String a = address.trim();
        if (a.startsWith("<") && a.endsWith(">")) {
            a = a.substring(1, a.length() - 1);
        }
        return a;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}

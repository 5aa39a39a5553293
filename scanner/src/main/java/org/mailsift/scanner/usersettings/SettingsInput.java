package org.mailsift.scanner.usersettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.mailsift.core.message.Envelope;
import org.mailsift.core.message.ParsedMessage;
import org.mailsift.scanner.rules.MailAddress;
import org.mailsift.scanner.selectors.SelectorInput;
import org.mailsift.scanner.settings.CidrSet;

/**
 * What settings rules look at for one message: its envelope (SMTP sender and recipients, client address and name,
 * authenticated user), its MIME addresses and headers, and whether the client is local (loopback or
 * {@code local_addrs}). Addresses are lower-cased, as Rspamd compares them.
 */
final class SettingsInput {
    private final ParsedMessage message;
    private final Envelope envelope;
    private final boolean local;
    private SelectorInput selectorInput;
    /** Parsed once per message, whatever the number of rules looking at them. */
    private List<Address> mimeFrom;
    private List<Address> mimeRcpt;
    private List<Address> smtpRcpt;

    /** Rspamd's ip:is_local(): loopback, IPv6 link- and site-local addresses (and local_addrs, given by the caller). */
    private static final CidrSet LOOPBACK = CidrSet.parse(List.of("127.0.0.0/8", "::1", "fe80::/10", "fec0::/10"));

    SettingsInput(ParsedMessage message, Envelope envelope, boolean localAddr) {
        this.message = message;
        this.envelope = envelope;
        this.local = localAddr || LOOPBACK.contains(envelope.clientIp());
    }

    ParsedMessage message() {
        return message;
    }

    Envelope envelope() {
        return envelope;
    }

    boolean local() {
        return local;
    }

    SelectorInput selectorInput() {
        if (selectorInput == null) {
            selectorInput = SelectorInput.of(message, envelope);
        }
        return selectorInput;
    }

    /** The SMTP sender (none for the null sender {@code <>}). */
    List<Address> smtpFrom() {
        String from = envelope.mailFrom();
        return from == null || from.isEmpty() ? List.of() : List.of(Address.of(from));
    }

    List<Address> smtpRcpt() {
        if (smtpRcpt == null) {
            List<Address> out = new ArrayList<>();
            for (String r : envelope.rcptTo()) {
                out.add(Address.of(r));
            }
            smtpRcpt = out;
        }
        return smtpRcpt;
    }

    List<Address> mimeFrom() {
        if (mimeFrom == null) {
            mimeFrom = mime("From");
        }
        return mimeFrom;
    }

    /** MIME recipients: To and Cc, as Rspamd's task:get_recipients('mime'). */
    List<Address> mimeRcpt() {
        if (mimeRcpt == null) {
            List<Address> out = new ArrayList<>(mime("To"));
            out.addAll(mime("Cc"));
            mimeRcpt = out;
        }
        return mimeRcpt;
    }

    /** The authenticated user, split at '@' when it has one. */
    List<Address> user() {
        String u = envelope.authUser();
        return u == null || u.isEmpty() ? List.of() : List.of(Address.of(u));
    }

    private List<Address> mime(String header) {
        List<Address> out = new ArrayList<>();
        for (String value : message.headerValues(header)) {
            for (MailAddress a : MailAddress.parseList(value)) {
                if (!a.addr().isEmpty()) {
                    out.add(Address.of(a.addr()));
                }
            }
        }
        return out;
    }

    /** An address as settings compare it: the whole (lower case), its local part and its domain. */
    record Address(String addr, String user, String domain) {
        static Address of(String raw) {
            String a = raw.strip().toLowerCase(Locale.ROOT);
            if (a.startsWith("<") && a.endsWith(">")) {
                a = a.substring(1, a.length() - 1);
            }
            int at = a.lastIndexOf('@');
            return at < 0 ? new Address(a, a, null) : new Address(a, a.substring(0, at), a.substring(at + 1));
        }
    }
}

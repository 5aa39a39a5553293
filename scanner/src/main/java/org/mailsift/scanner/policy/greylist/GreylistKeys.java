package org.mailsift.scanner.policy.greylist;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import com.google.common.net.InetAddresses;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.message.HeaderFields;
import org.mailsift.core.message.ParsedMessage;
import org.mailsift.scanner.policy.PolicyHash;
import org.mailsift.scanner.rules.MailAddress;

/**
 * The two records of a message, as Rspamd's greylist module keys them: the body key hashes the first
 * {@code max_data_len} bytes of the raw body, the Subject, the sorted SMTP recipients and the From header's address;
 * the meta key hashes the SMTP sender, the sorted SMTP recipients and the client's network (IPv4 /19, IPv6 /64).
 */
public record GreylistKeys(String body, String meta) {
    private static final int KEY_SIZE = 20;

    public static GreylistKeys of(ParsedMessage message, Envelope envelope, GreylistSettings settings) {
        List<String> rcpts = new ArrayList<>(envelope.rcptTo());
        rcpts.sort(null);

        PolicyHash body = new PolicyHash();
        byte[] raw = message.raw();
        int start = HeaderFields.split(raw, 0, raw.length).bodyStart();
        int len = Math.max(0, Math.min(raw.length - start, settings.maxDataLen()));
        body.update(raw, Math.min(start, raw.length), len).update(message.subject().orElse(""));
        rcpts.forEach(body::update);
        List<MailAddress> from = MailAddress.parseList(message.firstHeader("From").orElse(""));
        body.update(from.isEmpty() || from.get(0).addr().isEmpty() ? "<>" : from.get(0).addr());

        PolicyHash meta = new PolicyHash();
        String sender = envelope.mailFrom();
        meta.update(sender == null || sender.isEmpty() ? "<>" : sender);
        rcpts.forEach(meta::update);
        String network = network(envelope.clientIp(), settings.ipv4Mask(), settings.ipv6Mask());
        if (network != null) {
            meta.update(network);
        }
        return new GreylistKeys(body.key(settings.keyPrefix() + "b", KEY_SIZE), meta.key(settings.keyPrefix() + "m", KEY_SIZE));
    }

    /** The client's address with the host bits cleared ("192.0.0.0" for 192.0.2.1 /19), or null without a valid one. */
    static String network(String ip, int v4Mask, int v6Mask) {
        if (ip == null || ip.isEmpty()) {
            return null;
        }
        String literal = ip.startsWith("[") && ip.endsWith("]") ? ip.substring(1, ip.length() - 1) : ip;
        if (literal.regionMatches(true, 0, "IPv6:", 0, 5)) {
            literal = literal.substring(5);
        }
        if (!InetAddresses.isInetAddress(literal)) {
            return null;
        }
        InetAddress a = InetAddresses.forString(literal);
        byte[] b = a.getAddress();
        int mask = b.length == 4 ? v4Mask : v6Mask;
        for (int i = 0; i < b.length; i++) {
            int keep = Math.max(0, Math.min(8, mask - 8 * i));
            b[i] &= (byte) (0xff << (8 - keep));
        }
        try {
            return InetAddresses.toAddrString(InetAddress.getByAddress(b));
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }
}

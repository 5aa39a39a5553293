package org.mailsift.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.dns.DefaultDnsRecordDecoder;
import io.netty.handler.codec.dns.DnsPtrRecord;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;

import org.mailsift.core.dns.DnsAnswer;
import org.mailsift.core.dns.DnsRecordType;
import org.mailsift.core.dns.DnsStatus;

/**
 * Turns a wire response into a {@link DnsAnswer}. Records of other types than the asked one (a CNAME chain, or a
 * server answering with odd types) are skipped; a record whose data does not parse is skipped, never thrown.
 */
final class AnswerDecoder {
    /** More records than any list or policy needs; a huge answer is cut here. */
    static final int MAX_RECORDS = 256;
    static final long DEFAULT_NEGATIVE_TTL = 60;
    static final long MAX_TTL = 86_400;
    static final long MAX_NEGATIVE_TTL = 3_600;
    /**
     * How long a SERVFAIL / REFUSED answer is kept (RFC 2308 section 7.1 allows up to five minutes; BIND's
     * servfail-ttl allows at most 30 s): a name whose server is broken is asked again twice a minute, not for every
     * message.
     */
    static final long SERVER_FAILURE_TTL = 30;

    private AnswerDecoder() {
    }

    static DnsAnswer decode(String name, DnsRecordType type, DnsResponse response) {
        DnsResponseCode rc = response.code();
        if (rc.equals(DnsResponseCode.NXDOMAIN)) {
            return new DnsAnswer(name, type, DnsStatus.NXDOMAIN, List.of(), negativeTtl(response));
        }
        if (rc.equals(DnsResponseCode.SERVFAIL)) {
            return new DnsAnswer(name, type, DnsStatus.SERVFAIL, List.of(), SERVER_FAILURE_TTL);
        }
        if (!rc.equals(DnsResponseCode.NOERROR)) {
            return new DnsAnswer(name, type, DnsStatus.REFUSED, List.of(), SERVER_FAILURE_TTL);
        }
        List<String> records = new ArrayList<>();
        long ttl = MAX_TTL;
        int count = response.count(DnsSection.ANSWER);
        for (int i = 0; i < count && records.size() < MAX_RECORDS; i++) {
            DnsRecord r = response.recordAt(DnsSection.ANSWER, i);
            if (r.type().intValue() != type.code()) {
                continue;
            }
            String text = text(type, r);
            if (text != null) {
                records.add(text);
                ttl = Math.min(ttl, Math.max(0, r.timeToLive()));
            }
        }
        if (records.isEmpty()) {
            return new DnsAnswer(name, type, DnsStatus.NODATA, List.of(), negativeTtl(response));
        }
        return new DnsAnswer(name, type, DnsStatus.OK, records, ttl);
    }

    private static String text(DnsRecordType type, DnsRecord r) {
        if (r instanceof DnsPtrRecord ptr) {
            return normalizeName(ptr.hostname());
        }
        if (!(r instanceof DnsRawRecord raw)) {
            return null;
        }
        ByteBuf c = raw.content().duplicate();
        try {
            return switch (type) {
                case A -> address(c, 4);
                case AAAA -> address(c, 16);
                case TXT -> txt(c);
                case CNAME, NS, PTR -> normalizeName(DefaultDnsRecordDecoder.decodeName(c));
                case MX -> c.readableBytes() < 3 ? null
                        : c.readUnsignedShort() + " " + normalizeName(DefaultDnsRecordDecoder.decodeName(c));
                case SOA -> null;
            };
        } catch (RuntimeException e) { // corrupt names (bad pointers) or short data: skip the record
            return null;
        }
    }

    private static String address(ByteBuf c, int length) {
        if (c.readableBytes() != length) {
            return null;
        }
        byte[] b = new byte[length];
        c.readBytes(b);
        try {
            return InetAddress.getByAddress(b).getHostAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** The character-strings of a TXT record, concatenated (RFC 7208 §3.3). */
    private static String txt(ByteBuf c) {
        StringBuilder sb = new StringBuilder();
        while (c.isReadable()) {
            int len = c.readUnsignedByte();
            if (len > c.readableBytes()) {
                return null;
            }
            sb.append(c.readCharSequence(len, StandardCharsets.ISO_8859_1));
        }
        return sb.toString();
    }

    private static String normalizeName(String n) {
        String s = n.toLowerCase(java.util.Locale.ROOT);
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** RFC 2308: the SOA in the authority section gives min(its TTL, its MINIMUM); else a minute. */
    private static long negativeTtl(DnsResponse response) {
        int n = response.count(DnsSection.AUTHORITY);
        for (int i = 0; i < n; i++) {
            DnsRecord r = response.recordAt(DnsSection.AUTHORITY, i);
            if (r.type().intValue() == DnsRecordType.SOA.code() && r instanceof DnsRawRecord raw) {
                try {
                    ByteBuf c = raw.content().duplicate();
                    DefaultDnsRecordDecoder.decodeName(c); // MNAME
                    DefaultDnsRecordDecoder.decodeName(c); // RNAME
                    c.skipBytes(16);                      // serial, refresh, retry, expire
                    long minimum = c.readUnsignedInt();
                    return Math.min(MAX_NEGATIVE_TTL, Math.min(minimum, Math.max(0, r.timeToLive())));
                } catch (RuntimeException e) {
                    return DEFAULT_NEGATIVE_TTL;
                }
            }
        }
        return DEFAULT_NEGATIVE_TTL;
    }
}

package org.mailsift.core.dns;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The answer to one question, decoded to text.
 *
 * <p>{@code records} holds the answer section's records of the asked type (after any CNAME chain the recursive
 * resolver followed): A and AAAA as textual addresses ({@code 127.0.0.2}, {@code 2001:db8::1}), TXT as the record's
 * character-strings concatenated (RFC 7208 §3.3, RFC 6376 §3.6.2.2), PTR / CNAME / NS as the target name in lower
 * case without the final dot, MX as {@code "PREFERENCE HOST"}.
 *
 * @param name    the queried name, lower case, no final dot
 * @param type    the queried type
 * @param status  how the lookup ended
 * @param records decoded records (empty unless {@code status == OK})
 * @param ttl     seconds the answer may be cached (minimum TTL of the records, or the negative TTL)
 */
public record DnsAnswer(String name, DnsRecordType type, DnsStatus status, List<String> records, long ttl) {
    public DnsAnswer {
        records = List.copyOf(records);
    }

    public static DnsAnswer of(String name, DnsRecordType type, DnsStatus status) {
        return new DnsAnswer(name, type, status, List.of(), 0);
    }

    public boolean isOk() {
        return status == DnsStatus.OK;
    }

    /** MX hosts ordered by preference (lowest first); empty unless this is an MX answer. */
    public List<String> mxHosts() {
        if (type != DnsRecordType.MX) {
            return List.of();
        }
        record Mx(int pref, String host) {
        }
        List<Mx> mx = new ArrayList<>();
        for (String r : records) {
            int sp = r.indexOf(' ');
            if (sp > 0) {
                try {
                    mx.add(new Mx(Integer.parseInt(r.substring(0, sp)), r.substring(sp + 1)));
                } catch (NumberFormatException ignored) {
                    // a record we wrote ourselves; cannot happen
                }
            }
        }
        mx.sort(Comparator.comparingInt(Mx::pref));
        return mx.stream().map(Mx::host).toList();
    }
}

package org.mailsift.core.dns;

/** The record types mail checks ask for. Values are the wire type codes (RFC 1035, RFC 3596). */
public enum DnsRecordType {
    A(1), NS(2), CNAME(5), SOA(6), PTR(12), MX(15), TXT(16), AAAA(28);

    private final int code;

    DnsRecordType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}

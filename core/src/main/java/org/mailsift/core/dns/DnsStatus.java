package org.mailsift.core.dns;

/**
 * How a lookup ended. {@link #isTemporary()} is what checks map to their DNSFAIL / TEMPFAIL symbol: the answer is
 * unknown, not negative.
 */
public enum DnsStatus {
    /** NOERROR with at least one record of the asked type. */
    OK,
    /** NOERROR without records of the asked type (RFC 2308 "NODATA"). */
    NODATA,
    /** The name does not exist. */
    NXDOMAIN,
    /** The server failed (SERVFAIL). */
    SERVFAIL,
    /** The server refused the query (REFUSED, NOTIMP, FORMERR...). */
    REFUSED,
    /** No answer within the lookup's timeout or the message's DNS budget. */
    TIMEOUT,
    /** No nameserver is configured or every configured one was found not answering; the lookup was not sent. */
    UNAVAILABLE,
    /** The answer could not be read, or the query name was not a valid DNS name. */
    ERROR;

    /** True when the outcome says nothing about the name (try again later); false for OK, NODATA, NXDOMAIN. */
    public boolean isTemporary() {
        return this != OK && this != NODATA && this != NXDOMAIN;
    }
}

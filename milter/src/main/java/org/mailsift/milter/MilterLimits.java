package org.mailsift.milter;

import java.time.Duration;

import org.mailsift.core.net.MinimumDataRate;

/**
 * What one MTA connection may make the milter hold, and how many connections it takes. Hitting a per-message cap
 * closes the connection (one log line): the MTA then applies its {@code milter_default_action} to that message.
 *
 * @param maxHeaders        {@code max_headers}: headers in one message
 * @param maxRecipients     {@code max_recipients}: RCPTs in one message (Postfix's smtpd_recipient_limit is 1000)
 * @param maxAddressBytes   longest MAIL / RCPT address or HELO name kept (SMTP allows 256 octets for a path)
 * @param maxMacroBytes     {@code max_macro_size}: names and values of the macros kept for a connection and its message
 * @param maxConnections    {@code max_connections}: open milter connections in all; more are closed at once
 * @param maxConnectionsPerIp {@code max_connections_per_ip}: open connections from one TCP peer address
 * @param packetTimeout     {@code packet_timeout}: a packet must arrive whole within this once its first byte came,
 *                          and OPTNEG within this of the connect; trickling bytes cannot extend it
 * @param contentRate       {@code body_timeout} and {@code body_min_rate}: from DATA to the end of the body, the
 *                          message's headers and body must arrive at this pace; whole packets sent a few bytes at a
 *                          time every few seconds (which packet_timeout allows) cannot hold the connection forever
 */
public record MilterLimits(int maxHeaders, int maxRecipients, int maxAddressBytes, int maxMacroBytes,
                           int maxConnections, int maxConnectionsPerIp, Duration packetTimeout, MinimumDataRate contentRate) {

    public static MilterLimits defaults() {
        return new MilterLimits(5_000, 1_000, 4_096, 64 * 1024, 1_000, 1_000, Duration.ofSeconds(30), MinimumDataRate.DEFAULT);
    }

    /** With the default content rate. */
    public MilterLimits(int maxHeaders, int maxRecipients, int maxAddressBytes, int maxMacroBytes, int maxConnections,
                        int maxConnectionsPerIp, Duration packetTimeout) {
        this(maxHeaders, maxRecipients, maxAddressBytes, maxMacroBytes, maxConnections, maxConnectionsPerIp, packetTimeout,
                MinimumDataRate.DEFAULT);
    }

    public MilterLimits {
        if (maxHeaders < 1 || maxRecipients < 1 || maxAddressBytes < 1 || maxMacroBytes < 1 || maxConnections < 1
                || maxConnectionsPerIp < 1) {
            throw new IllegalArgumentException("milter limits must be positive");
        }
        if (packetTimeout.isNegative() || packetTimeout.isZero()) {
            throw new IllegalArgumentException("packet_timeout must be positive");
        }
    }
}

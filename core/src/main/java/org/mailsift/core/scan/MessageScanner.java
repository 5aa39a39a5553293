package org.mailsift.core.scan;

import org.mailsift.core.message.Envelope;

/** Scans one message. Implementations never throw for bad message content; damage is reported as symbols. */
public interface MessageScanner {
    ScanResult scan(byte[] rawMessage, Envelope envelope);
}

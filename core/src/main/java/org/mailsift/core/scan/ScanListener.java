package org.mailsift.core.scan;

import org.mailsift.core.message.Envelope;

/** Told about every finished scan, whoever asked for it (milter, HTTP, CLI): history, metrics, logs, autolearn. */
public interface ScanListener {
    void scanned(ScanSource source, Envelope envelope, byte[] rawMessage, ScanResult result);

    enum ScanSource { MILTER, HTTP, CLI, DELIVER }
}

package org.mailsift.core.scan;

import java.util.List;

import org.mailsift.core.message.Envelope;
import org.mailsift.core.message.ParsedMessage;

/**
 * The extension point for a module that adds its own headers to scanned mail (Authentication-Results from SPF, DKIM
 * and DMARC checks, DKIM-Signature, ...). The engine asks each contributor once per scan, after the verdict is
 * decided, in wiring order, and appends what it returns to the verdict's one ordered list of header edits
 * ({@link ScanResult#headerChanges()}); from there every path writes them the same way: milter replies, the HTTP
 * milter block, {@code scan --mime}, {@code filter}, {@code deliver}. A contributor never writes headers itself.
 *
 * <p>Rules that learn something during the scan (an SPF result) can instead add edits through the scanner's
 * ScanContext; those follow the verdict headers too. A contributor that needs the message as the MTA will hold it
 * (a DKIM signer signing the final header) applies {@code verdict.headerChanges()} to {@code raw} with
 * {@link org.mailsift.core.message.HeaderRewriter}.
 */
@FunctionalInterface
public interface HeaderContributor {
    /**
     * @param raw      the message as received
     * @param message  the parsed message
     * @param envelope the SMTP envelope (never null)
     * @param verdict  the verdict with the edits decided so far (spoof removal, verdict headers, earlier modules)
     * @return edits to append, in order (empty for none); never throws for bad message content
     */
    List<HeaderChange> headerChanges(byte[] raw, ParsedMessage message, Envelope envelope, ScanResult verdict);
}

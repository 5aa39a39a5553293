package org.mailsift.agent.logging;

import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import org.mailsift.core.message.Envelope;
import org.mailsift.core.scan.ScanListener;
import org.mailsift.core.scan.ScanResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * One log line per scanned message, like Rspamd's task log line:
 * {@code scan qid=4Xyz source=milter ip=192.0.2.7 from=a@example.org rcpt=b@example.net action="add header"
 * score=6.50/15.00 symbols=BAYES_SPAM(5.10),MISSING_DATE(1.00) time=12ms}. Symbol options and message content are
 * left out on purpose: they may quote the body, URLs or personal data.
 */
public final class ScanLogListener implements ScanListener {
    static final Logger LOG = LoggerFactory.getLogger("mailsift.scan");

    private final Optional<Level> level;

    public ScanLogListener(Optional<Level> level) {
        this.level = level;
    }

    @Override
    public void scanned(ScanSource source, Envelope envelope, byte[] rawMessage, ScanResult result) {
        if (level.isEmpty() || !LOG.isEnabledForLevel(level.get())) {
            return;
        }
        LOG.atLevel(level.get()).log(line(source, envelope, result));
    }

    static String line(ScanSource source, Envelope envelope, ScanResult result) {
        Envelope e = envelope == null ? Envelope.EMPTY : envelope;
        String symbols = result.symbols().stream()
                .map(s -> LogText.clean(s.name()) + String.format(Locale.ROOT, "(%.2f)", s.score()))
                .collect(Collectors.joining(","));
        return String.format(Locale.ROOT,
                "scan qid=%s source=%s ip=%s from=%s rcpt=%s user=%s msgid=%s action=\"%s\" score=%.2f/%.2f symbols=%s time=%dms",
                LogText.clean(e.queueId()), source.name().toLowerCase(Locale.ROOT), LogText.clean(e.clientIp()),
                LogText.clean(e.mailFrom()), LogText.clean(String.join(",", e.rcptTo())), LogText.clean(e.authUser()),
                LogText.clean(result.messageId()), result.action().wireName(), result.score(), result.requiredScore(),
                symbols.isEmpty() ? "-" : symbols, Math.round(result.scanTimeSeconds() * 1000));
    }
}

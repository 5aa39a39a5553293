package org.mailsift.milter.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.mailsift.core.scan.HeaderChange;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.milter.MilterSettings;
import org.mailsift.milter.codec.MilterReply;

/**
 * Turns a scan result into the end-of-message replies, as Rspamd's milter does (reference.md §2.6): the result's
 * header edits translated one by one into indexed milter replies (the scanner decided every header, X-Spam and the
 * Subject included; nothing is added here), then exactly one final reply for the action.
 * Header indexes are computed from the headers the MTA sent, updated as edits are emitted, so a header is never
 * deleted twice and each edit addresses the instance the core applier (HeaderRewriter) would.
 */
public final class VerdictReplies {
    static final String REJECT_CODE = "554 5.7.1 ";
    static final String TEMPFAIL_CODE = "451 4.7.1 ";
    static final String QUARANTINE_REASON = "Spam message quarantined";

    private final MilterSettings settings;

    public VerdictReplies(MilterSettings settings) {
        this.settings = settings;
    }

    public List<MilterReply> forResult(ScanResult result, Map<String, Integer> headerCounts) {
        String forced = blankToNull(result.smtpMessage());
        return switch (result.action()) {
            case REJECT -> {
                if (settings.discardOnReject()) {
                    yield List.of(MilterReply.DISCARD);
                }
                if (settings.quarantineOnReject()) {
                    yield edits(result, headerCounts, new MilterReply.Quarantine(QUARANTINE_REASON), MilterReply.ACCEPT);
                }
                yield List.of(replyCode(REJECT_CODE, forced != null ? forced : settings.rejectMessage()));
            }
            case SOFT_REJECT -> List.of(replyCode(TEMPFAIL_CODE, forced != null ? forced : settings.tempfailMessage()));
            case DISCARD -> List.of(MilterReply.DISCARD);
            case QUARANTINE -> edits(result, headerCounts, new MilterReply.Quarantine(QUARANTINE_REASON), MilterReply.ACCEPT);
            case REWRITE_SUBJECT, ADD_HEADER, NO_ACTION, GREYLIST -> edits(result, headerCounts, MilterReply.ACCEPT);
        };
    }

    private static List<MilterReply> edits(ScanResult result, Map<String, Integer> headerCounts, MilterReply... finals) {
        Edits edits = new Edits(headerCounts);
        edits.apply(result.headerChanges());
        return edits.then(finals);
    }

    /** The answer when no result is available (scan failed or timed out). */
    public List<MilterReply> fallback() {
        return List.of(switch (settings.fallback()) {
            case ACCEPT -> MilterReply.ACCEPT;
            case TEMPFAIL -> replyCode(TEMPFAIL_CODE, settings.tempfailMessage());
            case REJECT -> replyCode(REJECT_CODE, settings.rejectMessage());
        });
    }

    static MilterReply.ReplyCode replyCode(String code, String text) {
        // one line only: a CR or LF would end the SMTP reply early
        String clean = text.replace('\r', ' ').replace('\n', ' ');
        return new MilterReply.ReplyCode(code + clean);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** Header edits with a running count of instances per name, as the MTA will hold them after each edit. */
    private static final class Edits {
        private final Map<String, Integer> counts;
        private final List<MilterReply> replies = new ArrayList<>();

        Edits(Map<String, Integer> received) {
            this.counts = new HashMap<>(received);
        }

        void apply(List<HeaderChange> changes) {
            for (HeaderChange c : changes) {
                switch (c.kind()) {
                    case ADD -> add(c.name(), c.value(), c.index());
                    case REMOVE -> remove(c.name(), c.index());
                    case SET -> set(c.name(), c.value(), c.index());
                }
            }
        }

        void add(String name, String value, int index) {
            value = folded(value);
            replies.add(index >= 0 ? new MilterReply.InsertHeader(index, name, value) : new MilterReply.AddHeader(name, value));
            counts.merge(key(name), 1, Integer::sum);
        }

        void set(String name, String value, int index) {
            value = folded(value);
            replies.add(new MilterReply.ChangeHeader(index, name, value));
            if (count(name) < index) {
                counts.merge(key(name), 1, Integer::sum); // CHGHEADER on a missing instance adds the header
            }
        }

        void removeAll(String name) {
            for (int i = count(name); i >= 1; i--) {
                replies.add(new MilterReply.ChangeHeader(i, name, "")); // last first, so lower indexes stay valid
            }
            counts.put(key(name), 0);
        }

        void remove(String name, int index) {
            if (index == 0) {
                removeAll(name);
                return;
            }
            int n = count(name);
            int at = index > 0 ? index : n + index + 1; // negative counts from the end, -1 = last
            if (at >= 1 && at <= n) {
                replies.add(new MilterReply.ChangeHeader(at, name, ""));
                counts.put(key(name), n - 1);
            }
        }

        /** Postfix stores header values with bare LF between folded lines; a CR sent along would stay in the file. */
        private static String folded(String value) {
            return value == null ? "" : value.indexOf('\r') < 0 ? value : value.replace("\r\n", "\n").replace('\r', ' ');
        }

        List<MilterReply> then(MilterReply... finals) {
            replies.addAll(List.of(finals));
            return List.copyOf(replies);
        }

        private int count(String name) {
            return counts.getOrDefault(key(name), 0);
        }

        private static String key(String name) {
            return name.toLowerCase(Locale.ROOT);
        }
    }
}

package org.mailsift.scanner.rules;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import jakarta.mail.internet.MailDateFormat;

/**
 * The Date header: missing, unparseable, more than a day old or more than two hours ahead (Rspamd's DATE_CB) of
 * the time the message arrived. Arrival is the date of the topmost Received header (our own MTA's, a moment before
 * the milter sees the message), unless it is missing, unparseable or later than now: so scanning stored mail with
 * the CLI judges it as it was judged on arrival instead of calling every old message "in the past".
 */
public final class DateRules implements Rule {
    private final Clock clock;

    public DateRules(Clock clock) {
        this.clock = clock;
    }

    @Override
    public List<SymbolDefinition> symbols() {
        return List.of(
                Symbols.def("MISSING_DATE", "headers", 1.0, "Date header is missing"),
                Symbols.def("INVALID_DATE", "headers", 1.5, "Malformed Date header"),
                Symbols.def("DATE_IN_FUTURE", "headers", 4.0, "Message date is in the future"),
                Symbols.def("DATE_IN_PAST", "headers", 1.0, "Message date is in the past"));
    }

    @Override
    public void check(ScanContext ctx) {
        Optional<String> date = ctx.message().firstHeader("Date");
        if (date.isEmpty() || date.get().isBlank()) {
            ctx.insert("MISSING_DATE");
            return;
        }
        Optional<Instant> when = parse(date.get());
        if (when.isEmpty()) {
            ctx.insert("INVALID_DATE");
            return;
        }
        long diff = arrival(ctx.message()).getEpochSecond() - when.get().getEpochSecond();
        if (diff > 86400) {
            ctx.insert("DATE_IN_PAST", 1.0, List.of(Long.toString(diff / 3600)));
        } else if (-diff > 7200) {
            ctx.insert("DATE_IN_FUTURE", 1.0, List.of(Long.toString(-diff / 3600)));
        }
    }

    private Instant arrival(org.mailsift.core.message.ParsedMessage m) {
        Instant now = clock.instant();
        List<String> received = m.headerValues("Received");
        if (received.isEmpty()) {
            return now;
        }
        String top = received.get(0);
        int semi = top.lastIndexOf(';');
        if (semi < 0) {
            return now;
        }
        return parse(top.substring(semi + 1)).filter(t -> !t.isAfter(now)).orElse(now);
    }

    static Optional<Instant> parse(String value) {
        String v = value.strip();
        if (v.length() > 200) {
            return Optional.empty();
        }
        try {
            Date d = new MailDateFormat().parse(v);
            return Optional.ofNullable(d).map(Date::toInstant);
        } catch (java.text.ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }
}

package org.mailsift.scanner.rules;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import jakarta.mail.internet.MailDateFormat;

/** The Date header: missing, unparseable, more than a day old or more than two hours ahead (Rspamd's DATE_CB). */
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
        long diff = clock.instant().getEpochSecond() - when.get().getEpochSecond();
        if (diff > 86400) {
            ctx.insert("DATE_IN_PAST", 1.0, List.of(Long.toString(diff / 3600)));
        } else if (-diff > 7200) {
            ctx.insert("DATE_IN_FUTURE", 1.0, List.of(Long.toString(-diff / 3600)));
        }
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

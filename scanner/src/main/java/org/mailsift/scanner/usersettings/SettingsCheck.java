package org.mailsift.scanner.usersettings;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import org.mailsift.scanner.selectors.Selector;
import org.mailsift.scanner.settings.CidrSet;

import com.google.re2j.Pattern;

/** One condition of a settings rule (Rspamd's "checks": from, rcpt, ip, header:Subject...). */
interface SettingsCheck {
    boolean matches(SettingsInput in);

    /**
     * from / rcpt / from_mime / rcpt_mime / user: any address matches any pattern: {@code user@domain} (the whole
     * address), {@code @domain}, {@code user} (the local part) or {@code /regexp/flags} (the whole address).
     */
    record AddressCheck(Function<SettingsInput, List<SettingsInput.Address>> extract, List<AddressPattern> patterns)
            implements SettingsCheck {
        @Override
        public boolean matches(SettingsInput in) {
            for (SettingsInput.Address a : extract.apply(in)) {
                for (AddressPattern p : patterns) {
                    if (p.matches(a)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /** A pattern of an address condition. */
    record AddressPattern(String addr, String user, String domain, Pattern regexp) {
        static AddressPattern parse(String text) {
            if (text.startsWith("/")) {
                return new AddressPattern(null, null, null, Selector.compileRegexp(text));
            }
            String t = text.toLowerCase(Locale.ROOT);
            if (t.startsWith("@")) {
                return new AddressPattern(null, null, t.substring(1), null);
            }
            return t.contains("@") ? new AddressPattern(t, null, null, null) : new AddressPattern(null, t, null, null);
        }

        boolean matches(SettingsInput.Address a) {
            if (regexp != null) {
                return regexp.matcher(a.addr()).find();
            }
            if (domain != null) {
                return domain.equals(a.domain());
            }
            return addr != null ? addr.equals(a.addr()) : user.equals(a.user());
        }
    }

    /** ip: the client address is in one of the networks. */
    record IpCheck(CidrSet networks) implements SettingsCheck {
        @Override
        public boolean matches(SettingsInput in) {
            return networks.contains(in.envelope().clientIp());
        }
    }

    /** hostname: the client's (reverse DNS) name equals one of the names or matches one of the regexps. */
    record HostnameCheck(List<String> names, List<Pattern> regexps) implements SettingsCheck {
        @Override
        public boolean matches(SettingsInput in) {
            String host = in.envelope().clientHostname() == null ? ""
                    : in.envelope().clientHostname().toLowerCase(Locale.ROOT);
            return names.contains(host) || regexps.stream().anyMatch(p -> p.matcher(host).find());
        }
    }

    /** authenticated: the sender logged in (SASL user known). */
    record AuthenticatedCheck() implements SettingsCheck {
        @Override
        public boolean matches(SettingsInput in) {
            return in.envelope().isAuthenticated();
        }
    }

    /** local: the client is on a loopback address or in options' local_addrs. */
    record LocalCheck() implements SettingsCheck {
        @Override
        public boolean matches(SettingsInput in) {
            return in.local();
        }
    }

    /**
     * header: a MIME header field matches the regexp (any of its values), or with {@code true} / {@code false}
     * is present / absent.
     */
    /** @param request the HTTP request's header ({@code request_header}), not the message's ({@code header}) */
    record HeaderCheck(String name, Pattern regexp, boolean present, boolean request) implements SettingsCheck {
        @Override
        public boolean matches(SettingsInput in) {
            String requested = request ? in.envelope().requestHeader(name) : null;
            List<String> values = !request ? in.message().headerValues(name)
                    : requested == null ? List.of() : List.of(requested);
            if (regexp == null) {
                return values.isEmpty() != present;
            }
            return values.stream().anyMatch(v -> regexp.matcher(v).find());
        }
    }

    /** selector: the selector gives a value for this message (the value itself is not looked at, as in Rspamd). */
    record SelectorCheck(Selector selector, String delimiter) implements SettingsCheck {
        @Override
        public boolean matches(SettingsInput in) {
            return !selector.combine(in.selectorInput(), delimiter).isEmpty();
        }
    }
}

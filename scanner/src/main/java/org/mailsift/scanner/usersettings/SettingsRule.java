package org.mailsift.scanner.usersettings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

import org.mailsift.core.config.ConfigException;
import org.mailsift.core.config.Position;
import org.mailsift.core.config.UclObject;
import org.mailsift.core.config.UclScalar;
import org.mailsift.core.config.UclValue;
import org.mailsift.scanner.expression.AtomParser;
import org.mailsift.scanner.expression.Expression;
import org.mailsift.scanner.expression.ExpressionException;
import org.mailsift.scanner.selectors.Selector;
import org.mailsift.scanner.settings.CidrSet;

import com.google.re2j.Pattern;

/**
 * One rule of settings.conf, as Rspamd's settings module reads it: its conditions (all must hold; several values of
 * one condition are alternatives; {@code inverse} matches when none holds; {@code expression} combines them
 * otherwise, e.g. {@code "rcpt & !authenticated"}), its {@code priority} ({@code high} 3, {@code medium} 2,
 * {@code low} 1 or a number; higher first, equal ones by name), its {@code id} (its name unless set: what a client's
 * {@code Settings-Id} asks for), what it applies and the {@code symbols} it adds when it matches.
 *
 * @param expression null when the rule has no condition: it applies only when asked for by id
 */
record SettingsRule(String name, String id, int priority, Expression<SettingsCheck> expression,
                           SettingsApply apply, Map<String, Double> symbols, Position position) {

    private static final Set<String> KNOWN = Set.of("id", "priority", "from", "from_mime", "rcpt", "rcpt_mime", "ip",
            "client_ip", "hostname", "user", "authenticated", "local", "header", "request_header", "selector",
            "delimiter", "inverse", "expression", "apply", "symbols", "whitelist", "want_spam", "description");

    boolean matches(SettingsInput in) {
        return expression != null && Expression.isTrue(expression.evaluate(c -> c.matches(in) ? 1 : 0));
    }

    /** Reads rule {@code name}; returns null (with a warning) for a rule that applies nothing, as Rspamd skips it. */
    static SettingsRule parse(String name, UclObject rule, Consumer<String> warnings) {
        String where = "settings rule '" + name + "'";
        rule.warnUnknown(where, KNOWN, warnings);
        Map<String, SettingsCheck> checks = new LinkedHashMap<>();
        address(rule, "from", SettingsInput::smtpFrom, checks);
        address(rule, "rcpt", SettingsInput::smtpRcpt, checks);
        address(rule, "from_mime", SettingsInput::mimeFrom, checks);
        address(rule, "rcpt_mime", SettingsInput::mimeRcpt, checks);
        address(rule, "user", SettingsInput::user, checks);
        for (String key : List.of("ip", "client_ip")) {
            if (rule.has(key)) {
                List<String> nets = strings(rule, key);
                CidrSet set = CidrSet.parse(nets, w -> warnings.accept(rule.get(key).orElseThrow().position()
                        + ": " + where + ": " + w));
                checks.put(key, new SettingsCheck.IpCheck(set));
            }
        }
        if (rule.has("hostname")) {
            List<String> names = new ArrayList<>();
            List<Pattern> regexps = new ArrayList<>();
            for (String h : strings(rule, "hostname")) {
                if (h.startsWith("/")) {
                    regexps.add(regexp(h, rule.get("hostname").orElseThrow()));
                } else {
                    names.add(h.toLowerCase(Locale.ROOT));
                }
            }
            checks.put("hostname", new SettingsCheck.HostnameCheck(names, regexps));
        }
        if (rule.getBoolean("authenticated", false)) {
            checks.put("authenticated", new SettingsCheck.AuthenticatedCheck());
        }
        if (rule.getBoolean("local", false)) {
            checks.put("local", new SettingsCheck.LocalCheck());
        }
        headerChecks(rule, "header", false, checks);
        headerChecks(rule, "request_header", true, checks); // HTTP request headers (rspamc -H, the proxy)
        if (rule.has("selector")) {
            UclValue v = rule.get("selector").orElseThrow();
            try {
                Selector selector = Selector.parse(rule.getString("selector", ""));
                checks.put("selector", new SettingsCheck.SelectorCheck(selector, rule.getString("delimiter", "")));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(v.position(), e.getMessage());
            }
        }
        Expression<SettingsCheck> expression = expression(rule, checks, rule.getBoolean("inverse", false));

        SettingsApply apply;
        if (rule.getObject("apply").isPresent()) {
            apply = SettingsApply.parse(rule.getObject("apply").orElseThrow(), where, warnings);
        } else if (rule.getBoolean("whitelist", false) || rule.getBoolean("want_spam", false)) {
            apply = SettingsApply.WHITELIST;
        } else {
            warnings.accept(rule.position() + ": " + where + " has no apply { } nor want_spam: skipped");
            return null;
        }
        Map<String, Double> symbols = new LinkedHashMap<>();
        for (String s : strings(rule, "symbols")) {
            symbols.put(s, 1.0);
        }
        return new SettingsRule(name, rule.getString("id", name), priority(rule), expression, apply, symbols,
                rule.position());
    }

    /**
     * {@code header { "X-Mailer" = "/bulk/i"; "List-Id" = false; }}, and the same for {@code request_header}: a
     * regexp one value must match, or true / false for present / absent; conditions named {@code header:NAME}.
     */
    private static void headerChecks(UclObject rule, String key, boolean request, Map<String, SettingsCheck> checks) {
        rule.getObject(key).ifPresent(headers -> {
            for (String header : headers.keys()) {
                UclValue v = headers.get(header).orElseThrow();
                if (v instanceof UclScalar s && s.value() instanceof Boolean present) {
                    checks.put(key + ":" + header, new SettingsCheck.HeaderCheck(header, null, present, request));
                } else if (v instanceof UclScalar s && s.value() instanceof String re) {
                    checks.put(key + ":" + header, new SettingsCheck.HeaderCheck(header,
                            regexp(re.startsWith("/") ? re : "/" + re + "/", v), true, request));
                } else {
                    throw new ConfigException(v.position(), key + " \"" + header + "\" must be a regexp or true/false");
                }
            }
        });
    }

    private static void address(UclObject rule, String key, Function<SettingsInput, List<SettingsInput.Address>> extract,
                                Map<String, SettingsCheck> checks) {
        if (!rule.has(key)) {
            return;
        }
        List<SettingsCheck.AddressPattern> patterns = new ArrayList<>();
        for (UclValue v : rule.getList(key)) {
            String text = v instanceof UclScalar s ? s.asString() : null;
            if (text == null || text.isEmpty()) {
                throw new ConfigException(v.position(), "\"" + key + "\" must be an address, @domain, user or /regexp/");
            }
            if (text.startsWith("map:")) {
                throw new ConfigException(v.position(), "maps in settings conditions are not supported: list the"
                        + " addresses, or use a /regexp/");
            }
            try {
                patterns.add(SettingsCheck.AddressPattern.parse(text));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(v.position(), e.getMessage());
            }
        }
        checks.put(key, new SettingsCheck.AddressCheck(extract, patterns));
    }

    /**
     * The rule's expression: as written in {@code expression} over the condition names ({@code from},
     * {@code header:Subject}...), else every condition joined by AND, or with {@code inverse} none of them.
     */
    private static Expression<SettingsCheck> expression(UclObject rule, Map<String, SettingsCheck> checks,
                                                        boolean inverse) {
        if (checks.isEmpty()) {
            return null;
        }
        String text = rule.getString("expression", null);
        Position at = rule.get("expression").map(UclValue::position).orElse(rule.position());
        if (text == null) {
            text = inverse ? "!(" + String.join(" | ", checks.keySet()) + ")" : String.join(" & ", checks.keySet());
        }
        Map<String, SettingsCheck> byName = new LinkedHashMap<>();
        checks.forEach((k, v) -> byName.put(k.toLowerCase(Locale.ROOT), v));
        try {
            return Expression.parse(text, AtomParser.names(atom -> {
                SettingsCheck c = byName.get(atom.toLowerCase(Locale.ROOT));
                if (c == null) {
                    throw new ExpressionException("unknown condition '" + atom + "' (this rule has "
                            + String.join(", ", checks.keySet()) + ")", 0);
                }
                return c;
            }));
        } catch (ExpressionException e) {
            throw new ConfigException(at, "settings expression \"" + text + "\": " + e.getMessage());
        }
    }

    private static int priority(UclObject rule) {
        UclScalar p = rule.getScalar("priority").orElse(null);
        if (p == null || p.isNull()) {
            return 1;
        }
        if (p.value() instanceof Number n) {
            return n.intValue();
        }
        return switch (p.asString().toLowerCase(Locale.ROOT)) {
            case "high" -> 3;
            case "medium" -> 2;
            case "low" -> 1;
            default -> throw new ConfigException(p.position(), "priority must be high, medium, low or a number");
        };
    }

    private static List<String> strings(UclObject rule, String key) {
        return SettingsApply.strings(rule, key);
    }

    private static Pattern regexp(String text, UclValue at) {
        try {
            return Selector.compileRegexp(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(at.position(), e.getMessage());
        }
    }
}

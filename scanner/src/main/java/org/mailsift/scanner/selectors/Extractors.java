package org.mailsift.scanner.selectors;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.mailsift.core.message.Envelope;
import org.mailsift.core.message.ParsedMessage;
import org.mailsift.core.scan.SymbolResult;
import org.mailsift.scanner.rbl.UrlExtractor;
import org.mailsift.scanner.rules.MailAddress;

/**
 * The extractors of Rspamd's selector language (lualib/lua_selectors/extractors.lua): the first element of a
 * selector, which takes a value from the message. Each checks its arguments when the selector is parsed.
 */
final class Extractors {
    /** A value source with its arguments bound; returns null when the message has nothing (Rspamd's nil). */
    interface Bound extends Function<SelectorInput, Typed> {
    }

    /** An extractor: checks its arguments once and binds them. */
    interface Extractor {
        Bound bind(List<String> args);
    }

    /** Rspamd extractors that need modules or data mailsift does not have: a clear error, never a silent nothing. */
    private static final Map<String, String> UNSUPPORTED = Map.of(
            "country", "needs Rspamd's asn module (GeoIP data)",
            "asn", "needs Rspamd's asn module (GeoIP data)",
            "languages", "needs language detection",
            "pool_var", "reads Rspamd's internal memory pool",
            "task_cache", "reads Rspamd's internal task cache",
            "words", "needs Rspamd's word tokenizer",
            "metatokens", "needs Rspamd's statistics metatokens",
            "fuzzy_digest", "needs Rspamd's fuzzy hashes",
            "fuzzy_shingles", "needs Rspamd's fuzzy hashes");

    private static final Map<String, Extractor> ALL = new LinkedHashMap<>();
    private static final int MAX_EMAILS = 1000;

    static {
        ALL.put("id", args -> {
            maxArgs("id", args, 1);
            String v = args.isEmpty() ? "" : args.get(0);
            return in -> Typed.string(v);
        });
        ALL.put("list", args -> {
            List<String> v = List.copyOf(args);
            return in -> new Typed(v, "string_list");
        });
        ALL.put("ip", noArgs("ip", in -> IpObject.parse(in.envelope().clientIp())
                .map(a -> new Typed(new IpObject(a), "userdata")).orElse(null)));
        ALL.put("from", args -> {
            String type = addressType("from", args);
            return in -> {
                Map<String, Object> from = from(in, type);
                return from == null ? null : new Typed(from, "table");
            };
        });
        ALL.put("rcpts", args -> {
            String type = addressType("rcpts", args);
            return in -> {
                List<Object> rcpts = rcpts(in, type);
                return rcpts.isEmpty() ? null : new Typed(rcpts, "table_list");
            };
        });
        ALL.put("user", noArgs("user", in -> in.envelope().isAuthenticated()
                ? Typed.string(in.envelope().authUser()) : null));
        ALL.put("authenticated", noArgs("authenticated", in -> in.envelope().isAuthenticated()
                ? Typed.string("true") : null));
        ALL.put("to", noArgs("to", in -> Typed.string(principalRecipient(in))));
        ALL.put("helo", noArgs("helo", in -> nonEmpty(in.envelope().helo())));
        ALL.put("hostname", noArgs("hostname", in -> nonEmpty(in.envelope().clientHostname())));
        ALL.put("rspamd_hostname", noArgs("rspamd_hostname", in -> Typed.string(in.filterHostname())));
        ALL.put("queueid", noArgs("queueid", in -> nonEmpty(in.envelope().queueId())));
        ALL.put("messageid", noArgs("messageid", in -> in.message().messageId().map(Typed::string).orElse(null)));
        ALL.put("subject", noArgs("subject", in -> in.message().subject().map(Typed::string).orElse(null)));
        ALL.put("header", Extractors::header);
        ALL.put("received", args -> {
            maxArgs("received", args, 1);
            String field = args.isEmpty() ? null : args.get(0);
            if (field != null && !ReceivedHeader.FIELDS.contains(field)) {
                throw new IllegalArgumentException("received has no field '" + field + "' (fields: "
                        + String.join(", ", ReceivedHeader.FIELDS) + ")");
            }
            return in -> received(in, field);
        });
        ALL.put("received_count", noArgs("received_count",
                in -> Typed.string(Integer.toString(in.message().headerValues("Received").size()))));
        ALL.put("urls", args -> objects("urls", args, in -> in.memo("selector.urls", () -> {
            List<Object> out = new ArrayList<>();
            for (String u : in.message().urls()) {
                out.add(UrlObject.url(u));
            }
            return out;
        })));
        ALL.put("emails", args -> objects("emails", args, in -> in.memo("selector.emails", () -> {
            List<Object> out = new ArrayList<>();
            for (String e : new UrlExtractor(MAX_EMAILS, MAX_EMAILS).extract(in.message()).emails()) {
                out.add(UrlObject.email(e));
            }
            return out;
        })));
        ALL.put("files", noArgs("files", in -> {
            List<String> names = new ArrayList<>();
            List<ParsedMessage.Part> parts = in.message().parts();
            if (!parts.isEmpty()) {
                parts.stream().map(ParsedMessage.Part::filename).filter(f -> f != null && !f.isEmpty())
                        .forEach(names::add);
            } else {
                in.message().attachments().stream().map(ParsedMessage.Attachment::filename)
                        .filter(f -> f != null && !f.isEmpty()).forEach(names::add);
            }
            return Typed.strings(names);
        }));
        ALL.put("attachments", args -> {
            digestArgs("attachments", args);
            return in -> {
                List<String> digests = new ArrayList<>();
                for (byte[] content : in.memo("selector.attachments", () -> AttachmentContents.of(in.message()))) {
                    digests.add(Digests.digest(content, args));
                }
                return Typed.strings(digests);
            };
        });
        ALL.put("digest", noArgs("digest", in -> Typed.string(
                Digests.encode(Digests.hash(in.message().raw(), "blake2"), "hex").substring(0, 32))));
        ALL.put("time", Extractors::time);
        ALL.put("symbol", args -> {
            if (args.isEmpty() || args.size() > 2) {
                throw new IllegalArgumentException("symbol takes the symbol name (and an optional shadow result)");
            }
            String name = args.get(0);
            return in -> in.symbol(name).map(s -> new Typed(symbolTable(s), "table")).orElse(null);
        });
    }

    private Extractors() {
    }

    static Extractor get(String name) {
        Extractor e = ALL.get(name);
        if (e == null) {
            String why = UNSUPPORTED.get(name);
            throw new IllegalArgumentException(why != null
                    ? "extractor '" + name + "' is not supported by mailsift (" + why + ")"
                    : "unknown extractor '" + name + "' (known: " + String.join(", ", ALL.keySet()) + ")");
        }
        return e;
    }

    private static Extractor noArgs(String name, Bound bound) {
        return args -> {
            if (!args.isEmpty()) {
                throw new IllegalArgumentException(name + " takes no arguments");
            }
            return bound;
        };
    }

    static void maxArgs(String name, List<String> args, int max) {
        if (args.size() > max) {
            throw new IllegalArgumentException(name + " takes at most " + max + " argument" + (max == 1 ? "" : "s")
                    + ", got " + args.size());
        }
    }

    static void digestArgs(String name, List<String> args) {
        maxArgs(name, args, 2);
        if (!args.isEmpty() && !Digests.ENCODINGS.contains(args.get(0))) {
            throw new IllegalArgumentException(name + ": unknown encoding '" + args.get(0) + "' (one of "
                    + String.join(", ", Digests.ENCODINGS) + ")");
        }
        if (args.size() > 1 && !Digests.HASHES.contains(args.get(1))) {
            throw new IllegalArgumentException(name + ": unknown hash '" + args.get(1) + "' (one of "
                    + String.join(", ", Digests.HASHES) + ")");
        }
    }

    private static Typed nonEmpty(String s) {
        return s == null || s.isEmpty() ? null : Typed.string(s);
    }

    private static String addressType(String name, List<String> args) {
        maxArgs(name, args, 2);
        String type = args.isEmpty() ? "any" : args.get(0).toLowerCase(Locale.ROOT);
        if (!Set.of("any", "smtp", "mime", "envelope", "orig").contains(type)) {
            throw new IllegalArgumentException(name + ": unknown type '" + args.get(0) + "' (smtp, mime or any)");
        }
        if (args.size() > 1 && !args.get(1).equalsIgnoreCase("orig")) {
            throw new IllegalArgumentException(name + ": the second argument can only be 'orig'");
        }
        return type.equals("envelope") ? "smtp" : type.equals("orig") ? "any" : type;
    }

    /** An address as Rspamd's address table: addr, user, domain, name, raw. */
    static Map<String, Object> addressTable(String addr, String name, String raw) {
        String a = addr == null ? "" : addr;
        int at = a.lastIndexOf('@');
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("addr", a);
        t.put("user", at >= 0 ? a.substring(0, at) : a);
        t.put("domain", at >= 0 ? a.substring(at + 1).toLowerCase(Locale.ROOT) : "");
        t.put("name", name == null ? "" : name);
        t.put("raw", raw == null ? "<" + a + ">" : raw);
        return t;
    }

    private static Map<String, Object> from(SelectorInput in, String type) {
        String smtp = in.envelope().mailFrom();
        if (type.equals("smtp") || (type.equals("any") && smtp != null && !smtp.isEmpty())) {
            return smtp == null ? null : addressTable(smtp, null, null);
        }
        for (String h : in.message().headerValues("From")) {
            for (MailAddress a : MailAddress.parseList(h)) {
                return addressTable(a.addr(), a.name(), a.raw());
            }
        }
        return type.equals("any") && smtp != null ? addressTable(smtp, null, null) : null;
    }

    private static List<Object> rcpts(SelectorInput in, String type) {
        List<Object> out = new ArrayList<>();
        List<String> smtp = in.envelope().rcptTo();
        if (type.equals("smtp") || (type.equals("any") && !smtp.isEmpty())) {
            for (String r : smtp) {
                out.add(addressTable(r, null, null));
            }
            return out;
        }
        for (String name : List.of("To", "Cc", "Bcc")) {
            for (String h : in.message().headerValues(name)) {
                for (MailAddress a : MailAddress.parseList(h)) {
                    if (!a.addr().isEmpty()) {
                        out.add(addressTable(a.addr(), a.name(), a.raw()));
                    }
                }
            }
        }
        return out;
    }

    /** Rspamd's principal recipient: Deliver-To, else the first SMTP recipient, else the first MIME one. */
    private static String principalRecipient(SelectorInput in) {
        Envelope env = in.envelope();
        if (env.deliverTo() != null && !env.deliverTo().isEmpty()) {
            return env.deliverTo();
        }
        if (!env.rcptTo().isEmpty()) {
            return env.rcptTo().get(0);
        }
        List<Object> mime = rcpts(in, "mime");
        return mime.isEmpty() ? null : Typed.implicitString(mime.get(0));
    }

    private static Bound header(List<String> args) {
        if (args.isEmpty() || args.size() > 2) {
            throw new IllegalArgumentException("header takes the header name and optional flags ('full', 'strong')");
        }
        String name = args.get(0);
        String flags = args.size() > 1 ? args.get(1) : "";
        boolean strong = flags.contains("strong");
        boolean full = flags.contains("full");
        return in -> {
            List<ParsedMessage.Header> found = new ArrayList<>();
            for (ParsedMessage.Header h : in.message().headers()) {
                if (strong ? h.name().equals(name) : h.name().equalsIgnoreCase(name)) {
                    found.add(h);
                }
            }
            if (found.isEmpty()) {
                return null;
            }
            if (!full) {
                return Typed.string(found.get(0).value());
            }
            List<Object> tables = new ArrayList<>();
            for (ParsedMessage.Header h : found) {
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("name", h.name());
                t.put("value", h.rawValue());
                t.put("decoded", h.value());
                t.put("raw", h.name() + ": " + h.rawValue());
                tables.add(t);
            }
            return new Typed(tables, "table_list");
        };
    }

    private static Typed received(SelectorInput in, String field) {
        List<Map<String, Object>> all = in.memo("selector.received", () -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (ReceivedHeader r : ReceivedHeader.of(in)) {
                out.add(r.table());
            }
            return out;
        });
        if (all.isEmpty()) {
            return null;
        }
        List<Object> out = new ArrayList<>();
        for (Map<String, Object> table : all) {
            if (field == null) {
                out.add(table);
            } else if (table.get(field) != null) {
                out.add(table.get(field));
            }
        }
        if (out.isEmpty()) {
            return null;
        }
        return new Typed(out, field == null ? "table_list" : "string_list");
    }

    private static Bound objects(String name, List<String> args, Function<SelectorInput, List<Object>> source) {
        maxArgs(name, args, 1);
        String method = args.isEmpty() ? null : args.get(0);
        if (method != null) {
            try {
                UrlObject.url("http://example.com/").call(method, List.of());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ": " + e.getMessage());
            }
        }
        return in -> {
            List<Object> objects = source.apply(in);
            if (objects.isEmpty()) {
                return null;
            }
            if (method == null) {
                return new Typed(objects, "userdata_list");
            }
            List<Object> out = new ArrayList<>();
            for (Object o : objects) {
                Object v = ((SelectorObject) o).call(method, List.of());
                if (v != null) {
                    out.add(v.toString());
                }
            }
            return new Typed(out, "string_list");
        };
    }

    private static Bound time(List<String> args) {
        maxArgs("time", args, 2);
        String what = args.isEmpty() ? "message" : args.get(0);
        if (!what.equals("message") && !what.equals("connect")) {
            throw new IllegalArgumentException("time: the first argument is 'connect' or 'message', not '" + what + "'");
        }
        StrftimeFormat format = args.size() > 1 ? StrftimeFormat.compile(args.get(1)) : null;
        return in -> {
            Optional<Instant> t = what.equals("connect") ? Optional.of(in.now()) : messageDate(in.message());
            if (t.isEmpty()) {
                return null;
            }
            return Typed.string(format == null ? Long.toString(t.get().getEpochSecond())
                    : format.format(ZonedDateTime.ofInstant(t.get(), ZoneOffset.UTC)));
        };
    }

    static Optional<Instant> messageDate(ParsedMessage message) {
        Optional<String> date = message.firstHeader("Date");
        if (date.isEmpty()) {
            return Optional.empty();
        }
        String d = date.get().replaceAll("\\s*\\([^)]*\\)\\s*$", "").strip().replaceAll("\\s+", " ");
        try {
            return Optional.of(ZonedDateTime.parse(d, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Map<String, Object> symbolTable(SymbolResult s) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("name", s.name());
        t.put("score", Double.toString(s.score()));
        t.put("weight", Double.toString(s.weight()));
        t.put("options", List.copyOf(s.options()));
        return t;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

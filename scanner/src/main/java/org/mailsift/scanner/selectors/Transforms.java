package org.mailsift.scanner.selectors;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import org.mailsift.core.dns.PublicSuffix;

/**
 * The transforms of Rspamd's selector language (lualib/lua_selectors/transforms.lua): the {@code .name(args)} steps
 * after the extractor. Each declares the value types it takes (as Rspamd: {@code string}, {@code list},
 * {@code string_list}, {@code userdata}) and, for string transforms, that it maps over a list element by element.
 * Regular expressions are RE2 (linear time: a selector never backtracks).
 */
final class Transforms {
    /** One step with its arguments bound; returns null for nil (the selector then gives nothing). */
    interface Step {
        Typed apply(Object input, String type);
    }

    /**
     * @param types   the types it takes directly
     * @param mapType for transforms of single strings: the element type it yields when mapped over a list
     */
    record Transform(Set<String> types, String mapType, Binder binder) {
    }

    interface Binder {
        Step bind(List<String> args);
    }

    private static final Map<String, Transform> ALL = new LinkedHashMap<>();
    private static final Set<String> STRING = Set.of("string");
    private static final Set<String> LIST = Set.of("list");
    private static final Set<String> STRING_LIST = Set.of("string_list");

    static {
        string("lower", args -> none("lower", args, (s, t) -> Typed.string(s.toLowerCase(Locale.ROOT))));
        string("lower_utf8", args -> none("lower_utf8", args, (s, t) -> Typed.string(s.toLowerCase(Locale.ROOT))));
        string("upper", args -> none("upper", args, (s, t) -> Typed.string(s.toUpperCase(Locale.ROOT))));
        put("first", LIST, null, args -> none("first", args, (in, t) -> {
            List<?> l = (List<?>) in;
            return l.isEmpty() ? null : new Typed(l.get(0), Typed.pureType(t));
        }));
        put("last", LIST, null, args -> none("last", args, (in, t) -> {
            List<?> l = (List<?>) in;
            return l.isEmpty() ? null : new Typed(l.get(l.size() - 1), Typed.pureType(t));
        }));
        put("nth", LIST, null, args -> {
            int n = number("nth", args, 1);
            return (in, t) -> {
                List<?> l = (List<?>) in;
                return n >= 1 && n <= l.size() ? new Typed(l.get(n - 1), Typed.pureType(t)) : null;
            };
        });
        put("take_n", LIST, null, args -> {
            int n = number("take_n", args, 1);
            return (in, t) -> {
                List<?> l = (List<?>) in;
                return new Typed(new ArrayList<>(l.subList(0, Math.max(0, Math.min(n, l.size())))), t);
            };
        });
        put("drop_n", LIST, null, args -> {
            int n = number("drop_n", args, 1);
            return (in, t) -> {
                List<?> l = (List<?>) in;
                return new Typed(new ArrayList<>(l.subList(Math.max(0, Math.min(n, l.size())), l.size())), t);
            };
        });
        put("join", STRING_LIST, null, args -> {
            Extractors.maxArgs("join", args, 1);
            String sep = args.isEmpty() ? "" : args.get(0);
            return (in, t) -> Typed.string(String.join(sep, strings(in)));
        });
        put("join_nth", STRING_LIST, null, args -> {
            Extractors.maxArgs("join_nth", args, 2);
            int step = number("join_nth", args.isEmpty() ? args : args.subList(0, 1), 1);
            if (step < 1) {
                throw new IllegalArgumentException("join_nth: the step must be at least 1");
            }
            String sep = args.size() > 1 ? args.get(1) : "";
            return (in, t) -> {
                List<String> l = strings(in);
                List<String> out = new ArrayList<>();
                for (int i = 0; i < l.size(); i += step) {
                    // Rspamd joins elements i .. i+step inclusive (table.concat(t, sep, i, i + step))
                    out.add(String.join(sep, l.subList(i, Math.min(l.size(), i + step + 1))));
                }
                return new Typed(out, "string_list");
            };
        });
        put("sort", LIST, null, args -> none("sort", args, (in, t) -> {
            List<String> l = new ArrayList<>(strings(in));
            l.sort(null);
            return new Typed(l, "string_list");
        }));
        put("uniq", LIST, null, args -> none("uniq", args, (in, t) -> {
            List<Object> l = new ArrayList<>(new LinkedHashSet<>((List<?>) in));
            return new Typed(l, t);
        }));
        string("digest", args -> {
            Extractors.digestArgs("digest", args);
            return (s, t) -> Typed.string(Digests.digest(s.getBytes(StandardCharsets.UTF_8), args));
        });
        string("encode", args -> {
            Extractors.maxArgs("encode", args, 1);
            String enc = args.isEmpty() ? "hex" : args.get(0);
            if (!Digests.ENCODINGS.contains(enc)) {
                throw new IllegalArgumentException("encode: unknown encoding '" + enc + "' (one of "
                        + String.join(", ", Digests.ENCODINGS) + ")");
            }
            return (s, t) -> Typed.string(Digests.encode(s.getBytes(StandardCharsets.UTF_8), enc));
        });
        string("substring", args -> {
            Extractors.maxArgs("substring", args, 2);
            int from = args.isEmpty() ? 1 : number("substring", args.subList(0, 1), 1);
            int to = args.size() < 2 ? -1 : number("substring", args.subList(1, 2), -1);
            return (s, t) -> Typed.string(luaSub(s, from, to));
        });
        string("prepend", args -> (s, t) -> Typed.string(String.join("", args) + s));
        string("append", args -> (s, t) -> Typed.string(s + String.join("", args)));
        string("regexp", Transforms::regexp);
        string("match", Transforms::regexp);
        put("id", Set.of("string", "list"), "string", args -> (in, t) -> args.size() > 1
                ? new Typed(List.copyOf(args), "string_list") : Typed.string(args.isEmpty() ? "" : args.get(0)));
        string("equal", args -> {
            if (args.size() != 1) {
                throw new IllegalArgumentException("equal takes one argument");
            }
            return (s, t) -> s.equals(args.get(0)) ? Typed.string(s) : null;
        });
        string("in", args -> (s, t) -> args.contains(s) ? Typed.string(s) : null);
        string("not_in", args -> (s, t) -> args.contains(s) ? null : Typed.string(s));
        string("inverse", args -> {
            Extractors.maxArgs("inverse", args, 1);
            return (s, t) -> s == null ? Typed.string(args.isEmpty() ? "true" : args.get(0)) : null;
        });
        string("ipmask", args -> {
            if (args.isEmpty() || args.size() > 2) {
                throw new IllegalArgumentException("ipmask takes the IPv4 mask and an optional IPv6 mask");
            }
            int v4 = number("ipmask", args.subList(0, 1), 32);
            int v6 = args.size() > 1 ? number("ipmask", args.subList(1, 2), 128) : v4;
            if (v4 < 0 || v4 > 32 || v6 < 0 || v6 > 128) {
                throw new IllegalArgumentException("ipmask: masks are 0..32 for IPv4 and 0..128 for IPv6");
            }
            return (s, t) -> {
                Optional<InetAddress> ip = IpObject.parse(s);
                return ip.map(a -> Typed.string(IpObject.masked(a, a.getAddress().length == 4 ? v4 : v6)))
                        .orElse(null);
            };
        });
        put("to_ascii", Set.of("string", "list"), "string", args -> {
            Extractors.maxArgs("to_ascii", args, 1);
            String repl = args.isEmpty() ? "?" : args.get(0);
            return (in, t) -> {
                if (in instanceof List<?> l) {
                    List<Object> out = new ArrayList<>();
                    for (String s : strings(l)) {
                        out.add(toAscii(s, repl));
                    }
                    return new Typed(out, "string_list");
                }
                return Typed.string(toAscii(Typed.implicitString(in), "?"));
            };
        });
        string("get_tld", args -> none("get_tld", args,
                (s, t) -> Typed.string(PublicSuffix.registrableDomain(s.toLowerCase(Locale.ROOT)).orElse(s))));
        put("filter_string_nils", STRING_LIST, null, args -> none("filter_string_nils", args, (in, t) -> {
            List<Object> out = new ArrayList<>();
            for (String s : strings(in)) {
                if (!s.equals("nil")) {
                    out.add(s);
                }
            }
            return new Typed(out, "string_list");
        }));
        put("apply_methods", Set.of("userdata"), null, args -> (in, t) -> {
            List<Object> out = new ArrayList<>();
            for (String m : args) {
                Object r = ((SelectorObject) in).call(m, List.of());
                if (r != null) {
                    out.add(r.toString());
                }
            }
            return new Typed(out, "string_list");
        });
        put("filter_method", Set.of("userdata_list"), null, args -> {
            if (args.size() != 1) {
                throw new IllegalArgumentException("filter_method takes a method name");
            }
            return (in, t) -> {
                List<Object> out = new ArrayList<>();
                for (Object o : (List<?>) in) {
                    Object r = ((SelectorObject) o).call(args.get(0), List.of());
                    if (r != null && !r.equals("") && !r.equals("false")) {
                        out.add(o);
                    }
                }
                return new Typed(out, t);
            };
        });
    }

    /** Rspamd transforms that need its named selector maps: not in mailsift (use multimap's selector type). */
    private static final Set<String> UNSUPPORTED = Set.of("filter_map", "except_map", "apply_map", "pack_numbers",
            "join_tables");

    private Transforms() {
    }

    static Transform get(String name) {
        Transform t = ALL.get(name);
        if (t == null) {
            throw new IllegalArgumentException(UNSUPPORTED.contains(name)
                    ? "transform '" + name + "' is not supported by mailsift"
                    : "unknown transform '" + name + "' (known: " + String.join(", ", ALL.keySet()) + ")");
        }
        return t;
    }

    static boolean exists(String name) {
        return ALL.containsKey(name);
    }

    private interface StringStep {
        Typed apply(String s, String type);
    }

    private interface StringBinder {
        StringStep bind(List<String> args);
    }

    private static void string(String name, StringBinder binder) {
        put(name, STRING, "string", args -> {
            StringStep s = binder.bind(args);
            return (in, t) -> s.apply(Typed.implicitString(in), t);
        });
    }

    private static void put(String name, Set<String> types, String mapType, Binder binder) {
        ALL.put(name, new Transform(types, mapType, binder));
    }

    private static <S> S none(String name, List<String> args, S step) {
        if (!args.isEmpty()) {
            throw new IllegalArgumentException(name + " takes no arguments");
        }
        return step;
    }

    private static int number(String name, List<String> args, int dflt) {
        Extractors.maxArgs(name, args, 1);
        if (args.isEmpty()) {
            return dflt;
        }
        try {
            return Integer.parseInt(args.get(0).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": '" + args.get(0) + "' is not a number");
        }
    }

    private static List<String> strings(Object list) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) list) {
            String s = Typed.implicitString(o);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    /** Lua's string.sub: 1-based, inclusive, negative positions count from the end. */
    static String luaSub(String s, int from, int to) {
        int len = s.length();
        int i = from < 0 ? Math.max(len + from + 1, 1) : Math.max(from, 1);
        int j = to < 0 ? len + to + 1 : Math.min(to, len);
        return i > j ? "" : s.substring(i - 1, j);
    }

    private static String toAscii(String s, String repl) {
        StringBuilder sb = new StringBuilder(s.length());
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            if ((b & 0x80) != 0) {
                sb.append(repl);
            } else {
                sb.append((char) b);
            }
        }
        return sb.toString();
    }

    /**
     * Rspamd's regexp transform: {@code /re/flags} (flags i, m, s; u and O accepted) or a bare expression; gives every
     * match and its groups, flattened into one list.
     */
    private static StringStep regexp(List<String> args) {
        if (args.size() != 1) {
            throw new IllegalArgumentException("regexp takes one regular expression");
        }
        Pattern p = compileRspamdRegexp(args.get(0));
        return (s, t) -> {
            Matcher m = p.matcher(s);
            List<Object> out = new ArrayList<>();
            while (m.find() && out.size() < 1000) {
                for (int g = 0; g <= m.groupCount(); g++) {
                    if (m.group(g) != null) {
                        out.add(m.group(g));
                    }
                }
                if (m.end() == m.start() && m.end() >= s.length()) {
                    break;
                }
            }
            return out.isEmpty() ? null : new Typed(out, "string_list");
        };
    }

    static Pattern compileRspamdRegexp(String re) {
        String body = re;
        int flags = 0;
        if (re.length() >= 2 && re.startsWith("/") && re.lastIndexOf('/') > 0) {
            int end = re.lastIndexOf('/');
            body = re.substring(1, end);
            for (char f : re.substring(end + 1).toCharArray()) {
                switch (f) {
                    case 'i' -> flags |= Pattern.CASE_INSENSITIVE;
                    case 'm' -> flags |= Pattern.MULTILINE;
                    case 's' -> flags |= Pattern.DOTALL;
                    case 'u', 'O', 'r' -> {
                        // UTF-8 and Rspamd's optimisation hints: RE2 is UTF-8 aware already
                    }
                    default -> throw new IllegalArgumentException("regexp: unsupported flag '" + f + "' in " + re);
                }
            }
        }
        try {
            return Pattern.compile(body, flags);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("regexp: " + e.getMessage());
        }
    }
}

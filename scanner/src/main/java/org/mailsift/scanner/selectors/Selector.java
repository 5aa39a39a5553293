package org.mailsift.scanner.selectors;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A compiled selector of Rspamd's selector language (https://rspamd.com/doc/configuration/selectors.html), e.g.
 * {@code from('smtp'):domain.lower}, {@code header('Subject').lower.digest('hex').substring(1, 16)},
 * {@code urls:get_tld}, {@code id('rl');user;ip.ipmask(24)}.
 *
 * <p>{@link #parse} checks everything that can be checked without a message: syntax (errors name the position),
 * extractor and transform names, their arguments, regular expressions. Evaluating never throws: an extractor that
 * finds nothing (a missing header, no authenticated user) makes the whole selector give nothing, and the rule that
 * uses it is skipped, as in Rspamd.
 *
 * <p>mailsift accepts {@code .addr}, {@code .domain}, {@code .user}, {@code .name}, {@code .raw} and {@code .get_*}
 * right after the extractor as the method of the same name ({@code from('smtp').domain} = {@code from('smtp'):domain}).
 * Immutable and thread-safe.
 */
public final class Selector {
    private static final Logger LOG = LoggerFactory.getLogger(Selector.class);
    /** Names written with a dot that read a field or call a method when no transform has that name. */
    private static final Set<String> DOT_METHODS = Set.of("addr", "domain", "user", "name", "raw");

    private final String text;
    private final List<Compiled> elements;

    private record Processor(String name, boolean method, List<String> args, Transforms.Transform transform,
                             Transforms.Step step) {
    }

    /** Equal only to itself: it is the key of its value in an input's memo, looked up once per use. */
    private record Compiled(String extractorName, Extractors.Bound extractor, List<Processor> pipe) {
        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    private Selector(String text, List<Compiled> elements) {
        this.text = text;
        this.elements = List.copyOf(elements);
    }

    /**
     * @throws SelectorException naming the position of a syntax error, or the unknown / misused extractor or transform
     */
    public static Selector parse(String text) {
        List<Compiled> compiled = new ArrayList<>();
        for (SelectorParser.Element e : SelectorParser.parse(text)) {
            SelectorParser.Call ex = e.extractor();
            Extractors.Bound bound;
            try {
                bound = Extractors.get(ex.name()).bind(ex.args());
            } catch (IllegalArgumentException problem) {
                throw new SelectorException(text, ex.position(), problem.getMessage());
            }
            List<Processor> pipe = new ArrayList<>();
            if (e.method() != null) {
                pipe.add(method(e.method()));
            }
            for (SelectorParser.Call c : e.processors()) {
                boolean firstStep = pipe.isEmpty();
                if (!Transforms.exists(c.name()) && firstStep
                        && (DOT_METHODS.contains(c.name()) || c.name().startsWith("get_"))) {
                    pipe.add(method(c));
                    continue;
                }
                try {
                    Transforms.Transform t = Transforms.get(c.name());
                    pipe.add(new Processor(c.name(), false, c.args(), t, t.binder().bind(c.args())));
                } catch (IllegalArgumentException problem) {
                    throw new SelectorException(text, c.position(), problem.getMessage());
                }
            }
            compiled.add(new Compiled(ex.name(), bound, pipe));
        }
        return new Selector(text, compiled);
    }

    private static Processor method(SelectorParser.Call c) {
        return new Processor(c.name(), true, c.args(), null, null);
    }

    /**
     * An Rspamd regexp {@code /re/flags} (or a bare expression) compiled as the regexp transform compiles it, by
     * RE2/J (linear time); also for settings rules. Throws IllegalArgumentException with the reason.
     */
    public static com.google.re2j.Pattern compileRegexp(String re) {
        return Transforms.compileRspamdRegexp(re);
    }

    /** The selector as written. */
    public String text() {
        return text;
    }

    /** How many {@code ;}-separated selectors this one combines. */
    public int size() {
        return elements.size();
    }

    /**
     * The values of each {@code ;}-separated part, in order, each as strings; empty when any part gives nothing.
     */
    public List<List<String>> parts(SelectorInput in) {
        List<List<String>> out = new ArrayList<>(elements.size());
        for (Compiled c : elements) {
            Typed v = evaluate(c, in);
            if (v == null) {
                return List.of();
            }
            List<String> strings = v.strings();
            if (!v.isList() && strings.isEmpty()) {
                return List.of();
            }
            out.add(v.isList() ? strings : List.of(strings.get(0)));
        }
        return out;
    }

    /**
     * Rspamd's combine_selectors: the parts joined with {@code delimiter}. When every part is a single string the
     * result is one string; when some are lists, the lists are zipped element by element (a single string repeats)
     * and the result has as many values as the shortest list. Empty when any part gives nothing.
     */
    public List<String> combine(SelectorInput in, String delimiter) {
        List<List<String>> parts = parts(in);
        if (parts.isEmpty()) {
            return List.of();
        }
        boolean lists = false;
        int n = Integer.MAX_VALUE;
        for (int i = 0; i < parts.size(); i++) {
            if (isListPart(i, in)) {
                lists = true;
                n = Math.min(n, parts.get(i).size());
            }
        }
        if (!lists) {
            List<String> single = new ArrayList<>();
            for (List<String> p : parts) {
                single.add(p.get(0));
            }
            return List.of(String.join(delimiter, single));
        }
        List<String> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < parts.size(); i++) {
                if (i > 0) {
                    sb.append(delimiter);
                }
                List<String> p = parts.get(i);
                sb.append(p.size() == 1 && !isListPart(i, in) ? p.get(0) : p.get(k));
            }
            out.add(sb.toString());
        }
        return out;
    }

    /** Rspamd's flatten_selectors: every value of every part in one list. Empty when any part gives nothing. */
    public List<String> flatten(SelectorInput in) {
        List<String> out = new ArrayList<>();
        for (List<String> p : parts(in)) {
            out.addAll(p);
        }
        return out;
    }

    private boolean isListPart(int i, SelectorInput in) {
        Typed v = evaluate(elements.get(i), in);
        return v != null && v.isList();
    }

    private Typed evaluate(Compiled c, SelectorInput in) {
        return in.memo(c, () -> {
            try {
                return run(c, in);
            } catch (RuntimeException e) {
                LOG.debug("selector '{}': {} gave nothing: {}", text, c.extractorName(), e.toString());
                return null;
            }
        });
    }

    /** Rspamd's process_selector: extract, apply the method or convert objects to strings, fold the transforms. */
    private static Typed run(Compiled c, SelectorInput in) {
        Typed value = c.extractor().apply(in);
        if (value == null) {
            return null;
        }
        List<Processor> pipe = c.pipe();
        int from = 0;
        if (!pipe.isEmpty() && pipe.get(0).method()) {
            value = applyMethod(pipe.get(0), value);
            from = 1;
        } else if (value.type().startsWith("userdata") || value.type().startsWith("table")) {
            boolean takesObjects = !pipe.isEmpty() && (pipe.get(0).transform().types().contains("userdata")
                    || pipe.get(0).transform().types().contains("userdata_list"));
            if (!takesObjects) {
                value = toStrings(value);
            }
        }
        for (int i = from; i < pipe.size() && value != null; i++) {
            value = applyTransform(pipe.get(i), value);
        }
        if (value == null) {
            return null;
        }
        if (!value.type().equals("string") && !value.type().equals("string_list")) {
            value = toStrings(value);
        }
        return value;
    }

    private static Typed toStrings(Typed v) {
        if (v.isList()) {
            List<Object> out = new ArrayList<>();
            for (Object o : v.list()) {
                String s = Typed.implicitString(o);
                if (s != null) {
                    out.add(s);
                }
            }
            return new Typed(out, "string_list");
        }
        return Typed.string(Typed.implicitString(v.value()));
    }

    private static Typed applyMethod(Processor m, Typed v) {
        if (!v.isList()) {
            return callMethod(m, v.value());
        }
        List<Object> out = new ArrayList<>();
        String type = null;
        for (Object o : v.list()) {
            Typed r = callMethod(m, o);
            if (r != null) {
                out.add(r.value());
                type = r.type();
            }
        }
        if (type == null) {
            return null;
        }
        return new Typed(out, type.endsWith("_list") ? "string_list" : type + "_list");
    }

    /** A table gives its field, an object runs its method; a string or a list-valued result is typed as Rspamd. */
    private static Typed callMethod(Processor m, Object target) {
        Object r;
        if (target instanceof Map<?, ?> table) {
            r = table.get(m.name());
        } else if (target instanceof SelectorObject obj) {
            r = obj.call(m.name(), m.args());
        } else if (target instanceof String s) {
            r = switch (m.name()) {
                case "lower" -> s.toLowerCase(java.util.Locale.ROOT);
                case "upper" -> s.toUpperCase(java.util.Locale.ROOT);
                case "len" -> Integer.toString(s.length());
                default -> throw new IllegalArgumentException("cannot call method `" + m.name() + "` on a string");
            };
        } else {
            return null;
        }
        if (r == null) {
            return null;
        }
        if (r instanceof String s) {
            return Typed.string(s);
        }
        if (r instanceof List<?> l) {
            List<Object> strings = new ArrayList<>();
            for (Object o : l) {
                strings.add(Typed.implicitString(o));
            }
            return new Typed(strings, "string_list");
        }
        if (r instanceof Map<?, ?>) {
            return new Typed(r, "table");
        }
        return Typed.string(Typed.implicitString(r));
    }

    /** Rspamd's fold step: apply directly, as a list function, or mapped over the list's elements. */
    private static Typed applyTransform(Processor p, Typed v) {
        Set<String> types = p.transform().types();
        if (types.contains(v.type())) {
            return p.step().apply(v.value(), v.type());
        }
        String pure = v.pureType();
        if (pure != null && types.contains("list")) {
            return p.step().apply(v.value(), v.type());
        }
        if (pure != null && p.transform().mapType() != null && types.contains(pure)) {
            List<Object> out = new ArrayList<>();
            for (Object o : v.list()) {
                if (o == null) {
                    continue;
                }
                Typed r = p.step().apply(o, pure);
                if (r != null) {
                    if (r.isList()) {
                        out.addAll(r.list());
                    } else {
                        out.add(r.value());
                    }
                }
            }
            return new Typed(out, p.transform().mapType() + "_list");
        }
        LOG.debug("cannot apply transform {} to a {}", p.name(), v.type());
        return null;
    }

    @Override
    public String toString() {
        return text;
    }
}

package org.mailsift.core.config;

import java.util.List;
import java.util.function.Consumer;

import org.mailsift.core.config.UclParser.Duplicate;

/**
 * The parameters of an {@code .include(...)}, as libucl reads them (ucl_include_common): {@code try} (a missing file
 * is no error), {@code glob} (a {@code *}/{@code ?}/{@code [} pattern; mailsift expands patterns either way),
 * {@code priority} (0-15), {@code duplicate} (append, merge, rewrite, error), {@code prefix} / {@code key} /
 * {@code target} (put the file's keys under a key instead of here, as an object or as an element of an array) and
 * {@code path} (directories searched for a relative file). {@code sign} and {@code url} cannot be honoured and are
 * refused or reported; any other parameter is a warning, as libucl ignores it.
 *
 * @param key    where the included keys go ({@code null}: into the including section), after {@code prefix}
 * @param array  with a key: append the included object to an array under the key instead of merging into an object
 */
record IncludeParams(boolean optional, int priority, Duplicate duplicate, boolean usePrefix, String key,
                     boolean array, List<String> searchPath) {

    static IncludeParams defaults(boolean optional) {
        return new IncludeParams(optional, 0, Duplicate.APPEND, false, null, false, List.of());
    }

    /** Reads {@code args} (the parsed text between the parentheses) over {@code defaults}. */
    static IncludeParams parse(String macro, UclObject args, IncludeParams defaults, Consumer<String> warnings) {
        IncludeParams p = defaults;
        for (String name : args.keys()) {
            UclValue value = args.get(name).orElseThrow();
            Position at = value.position();
            switch (name) {
                case "try" -> p = p.withOptional(scalar(name, value).asBoolean());
                case "glob" -> scalar(name, value).asBoolean(); // patterns are always expanded; only checked
                case "priority" -> p = p.withPriority(priority(scalar(name, value)));
                case "duplicate" -> p = p.withDuplicate(Duplicate.parse(scalar(name, value).asString(), at));
                case "prefix" -> p = p.withPrefix(scalar(name, value).asBoolean(), p.key, p.array);
                case "key" -> p = p.withPrefix(p.usePrefix, scalar(name, value).asString(), p.array);
                case "target" -> p = p.withPrefix(p.usePrefix, p.key, target(scalar(name, value)));
                case "path" -> p = p.withSearchPath(args.getStringList(name));
                case "sign" -> {
                    if (scalar(name, value).asBoolean()) {
                        throw new ConfigException(at, macro + "(sign=true): signed includes are not supported"
                                + " (mailsift cannot check the .sig file); include the file without sign");
                    }
                }
                case "url" -> {
                    if (scalar(name, value).asBoolean()) {
                        warnings.accept(at + ": " + macro + "(url=true): includes are read from files only,"
                                + " a URL is not fetched");
                    }
                }
                default -> warnings.accept(at + ": unknown " + macro + " parameter '" + name
                        + "' (ignored; libucl knows try, priority, duplicate, glob, prefix, key, target, path, sign,"
                        + " url)");
            }
        }
        return p;
    }

    static int priority(UclScalar s) {
        long p = s.asLong();
        if (p < 0 || p > 15) {
            throw new ConfigException(s.position(), "priority must be between 0 and 15, found " + p);
        }
        return (int) p;
    }

    private static boolean target(UclScalar s) {
        String t = s.asString() == null ? "" : s.asString().toLowerCase(java.util.Locale.ROOT);
        return switch (t) {
            case "object" -> false;
            case "array" -> true;
            default -> throw new ConfigException(s.position(), "target must be object or array, found \"" + t
                    + "\"");
        };
    }

    private static UclScalar scalar(String name, UclValue v) {
        if (v instanceof UclScalar s) {
            return s;
        }
        throw new ConfigException(v.position(), "the parameter '" + name + "' must be a single value");
    }

    IncludeParams withOptional(boolean o) {
        return new IncludeParams(o, priority, duplicate, usePrefix, key, array, searchPath);
    }

    IncludeParams withPriority(int p) {
        return new IncludeParams(optional, p, duplicate, usePrefix, key, array, searchPath);
    }

    IncludeParams withDuplicate(Duplicate d) {
        return new IncludeParams(optional, priority, d, usePrefix, key, array, searchPath);
    }

    IncludeParams withPrefix(boolean use, String k, boolean arr) {
        return new IncludeParams(optional, priority, duplicate, use, k, arr, searchPath);
    }

    IncludeParams withSearchPath(List<String> dirs) {
        return new IncludeParams(optional, priority, duplicate, usePrefix, key, array, List.copyOf(dirs));
    }

    /** The key the file's content goes under: {@code key}, else with {@code prefix} the file name without .conf/.ucl. */
    String keyFor(java.nio.file.Path file) {
        if (key != null && !key.isEmpty()) {
            return key;
        }
        if (!usePrefix) {
            return null;
        }
        String name = file.getFileName().toString();
        for (String ext : List.of(".conf", ".ucl")) {
            if (name.endsWith(ext)) {
                return name.substring(0, name.length() - ext.length());
            }
        }
        return name;
    }
}

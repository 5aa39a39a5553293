package org.mailsift.core.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A configuration directory laid out like Rspamd's. For a section name such as {@code actions}:
 * the stock {@code actions.conf} (or {@code actions.inc}) is read, {@code local.d/actions.conf} (and/or
 * {@code .inc}) is merged over it with {@link UclMerge}, and {@code override.d/actions.conf} (or {@code .inc}),
 * when present, replaces both. {@code options.inc} is the {@code options} section. Sections are parsed once and
 * cached. Includes may use {@code $CONFDIR} and {@code $LOCAL_CONFDIR} (both this directory).
 */
public final class ConfigDirectory implements ConfigSource {
    public static final String LOCAL_DIR = "local.d";
    public static final String OVERRIDE_DIR = "override.d";
    private static final List<String> EXTENSIONS = List.of(".conf", ".inc");

    private final Path directory;
    private final Map<String, String> variables;
    private final Map<String, UclObject> sections = new ConcurrentHashMap<>();
    private final Set<String> warnings = new LinkedHashSet<>();

    private ConfigDirectory(Path directory) {
        this.directory = directory;
        this.variables = variables(directory);
    }

    /**
     * The variables Rspamd defines for its configuration (rspamd_ucl_add_conf_variables), with mailsift's places:
     * {@code CONFDIR} and {@code LOCAL_CONFDIR} are this directory, {@code DBDIR} the data directory of the
     * package ({@code MAILSIFT_DBDIR} when set), {@code RUNDIR}, {@code LOGDIR}, {@code HOSTNAME}. Rspamd's Lua
     * and web directories ({@code PLUGINSDIR}, {@code RULESDIR}, {@code SHAREDIR}, {@code WWWDIR}...) have no
     * meaning here and stay as written.
     */
    static Map<String, String> variables(Path directory) {
        String dir = directory.toString();
        String dbdir = System.getenv("MAILSIFT_DBDIR");
        return Map.of("CONFDIR", dir, "LOCAL_CONFDIR", dir,
                "DBDIR", dbdir == null || dbdir.isBlank() ? "/var/lib/mailsift" : dbdir,
                "RUNDIR", "/run/mailsift", "LOGDIR", "/var/log/mailsift", "HOSTNAME", hostname());
    }

    /** The kernel's host name, as gethostname(2) gives Rspamd (no DNS lookup: this runs at every reload). */
    private static String hostname() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            return name.isEmpty() ? "localhost" : name;
        } catch (IOException | UncheckedIOException e) {
            return "localhost";
        }
    }

    /** Opens {@code dir}; nothing is parsed until a section is asked for. */
    public static ConfigDirectory open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("configuration directory " + dir + " does not exist");
        }
        return new ConfigDirectory(dir.toAbsolutePath().normalize());
    }

    @Override
    public UclObject section(String name) {
        UclObject cached = sections.get(name);
        if (cached != null) {
            return cached;
        }
        UclObject parsed = load(name);
        UclObject raced = sections.putIfAbsent(name, parsed);
        return raced == null ? parsed : raced;
    }

    private UclObject load(String name) {
        UclObject result = UclObject.empty(new Position(directory.resolve(name + ".conf").toString(), 1, 1));
        for (Path f : filesOf(name)) {
            result = UclMerge.merge(result, parse(f));
        }
        return result;
    }

    /** Parses one file of this directory on its own (includes resolved); used by configtest. */
    public UclObject parse(Path file) {
        return new UclParser(variables, this::warn).parseFile(file);
    }

    /** The files that make up {@code name}, in merge order (an override.d file hides the others). */
    public List<Path> filesOf(String name) {
        List<Path> overrides = existing(directory.resolve(OVERRIDE_DIR), name);
        if (!overrides.isEmpty()) {
            return overrides;
        }
        List<Path> files = new ArrayList<>(existing(directory, name));
        files.addAll(existing(directory.resolve(LOCAL_DIR), name));
        return files;
    }

    /** Every section name with a file in the directory, local.d or override.d, sorted. */
    public Set<String> sectionNames() {
        Set<String> names = new TreeSet<>();
        for (Path f : configFiles()) {
            String file = f.getFileName().toString();
            names.add(file.substring(0, file.lastIndexOf('.')));
        }
        return names;
    }

    /** Every *.conf and *.inc file in the directory, local.d and override.d (not in other subfolders), sorted. */
    public List<Path> configFiles() {
        List<Path> out = new ArrayList<>();
        for (Path dir : List.of(directory, directory.resolve(LOCAL_DIR), directory.resolve(OVERRIDE_DIR))) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> list = Files.list(dir)) {
                list.filter(Files::isRegularFile)
                        .filter(p -> EXTENSIONS.stream().anyMatch(ext -> p.getFileName().toString().endsWith(ext)))
                        .sorted()
                        .forEach(out::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    private static List<Path> existing(Path dir, String name) {
        List<Path> out = new ArrayList<>();
        for (String ext : EXTENSIONS) {
            Path p = dir.resolve(name + ext);
            if (Files.isRegularFile(p)) {
                out.add(p);
            }
        }
        return out;
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public List<String> warnings() {
        synchronized (warnings) {
            return List.copyOf(warnings);
        }
    }

    /** Adds a warning; the same text twice is kept once (sections may be validated more than once). */
    @Override
    public void warn(String warning) {
        synchronized (warnings) {
            warnings.add(warning);
        }
    }
}

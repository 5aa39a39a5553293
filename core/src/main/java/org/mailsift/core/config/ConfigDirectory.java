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
 *
 * <p>Last comes the dynamic directory, when there is one ({@code <dbdir>/dynamic/}, {@link #withDynamicDirectory}):
 * what the daemon saved for the web interface ({@code actions.conf} from /saveactions, {@code groups.conf} from
 * /savesymbols) is merged over everything else, as Rspamd applies its {@code $DBDIR/rspamd_dynamic} over the static
 * configuration. The daemon owns its data directory, so saving works while /etc/mailsift and local.d stay the admin's
 * (root-owned, not writable by the daemon).
 */
public final class ConfigDirectory implements ConfigSource {
    public static final String LOCAL_DIR = "local.d";
    public static final String OVERRIDE_DIR = "override.d";
    /** The data directory's folder for what the daemon saves (see the class comment). */
    public static final String DYNAMIC_DIR = "dynamic";
    private static final List<String> EXTENSIONS = List.of(".conf", ".inc");

    private final Path directory;
    private final Path dynamicDirectory;
    private final Map<String, String> variables;
    private final Map<String, UclObject> sections = new ConcurrentHashMap<>();
    private final Set<String> warnings = new LinkedHashSet<>();

    private ConfigDirectory(Path directory, Path dynamicDirectory) {
        this.directory = directory;
        this.dynamicDirectory = dynamicDirectory;
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
        return new ConfigDirectory(dir.toAbsolutePath().normalize(), null);
    }

    /** The same directory with {@code dynamic} (need not exist yet) merged over every section; sections are parsed anew. */
    public ConfigDirectory withDynamicDirectory(Path dynamic) {
        ConfigDirectory d = new ConfigDirectory(directory, dynamic == null ? null : dynamic.toAbsolutePath().normalize());
        warnings().forEach(d::warn); // what was found so far (options.inc read for dbdir) is still true
        return d;
    }

    /** A fresh view of the same files (a reload): the same directories, nothing cached. */
    public ConfigDirectory reopened() {
        return new ConfigDirectory(directory, dynamicDirectory);
    }

    /** The dynamic directory, or null. */
    public Path dynamicDirectory() {
        return dynamicDirectory;
    }

    @Override
    public Path savedSettingsDirectory() {
        return dynamicDirectory != null ? dynamicDirectory : ConfigSource.super.savedSettingsDirectory();
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

    /** The sections some module asked for so far ({@link #section}): configtest names the files nobody reads. */
    public Set<String> readSections() {
        return Set.copyOf(sections.keySet());
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
        List<Path> files = new ArrayList<>(existing(directory.resolve(OVERRIDE_DIR), name));
        if (files.isEmpty()) {
            files.addAll(existing(directory, name));
            files.addAll(existing(directory.resolve(LOCAL_DIR), name));
        }
        if (dynamicDirectory != null) {
            files.addAll(existing(dynamicDirectory, name)); // saved by the daemon: over everything, as Rspamd's dynamic conf
        }
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

    /** Every *.conf and *.inc file in the directory, local.d, override.d and the dynamic directory, sorted. */
    public List<Path> configFiles() {
        List<Path> out = new ArrayList<>();
        List<Path> dirs = new ArrayList<>(List.of(directory, directory.resolve(LOCAL_DIR), directory.resolve(OVERRIDE_DIR)));
        if (dynamicDirectory != null) {
            dirs.add(dynamicDirectory);
        }
        for (Path dir : dirs) {
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

    /** The data directory: the dynamic directory's parent ({@code <dbdir>/dynamic}), or null without one. */
    @Override
    public Path dataDirectory() {
        return dynamicDirectory == null ? null : dynamicDirectory.getParent();
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

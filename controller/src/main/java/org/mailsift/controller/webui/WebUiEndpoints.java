package org.mailsift.controller.webui;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.mailsift.controller.api.ApiException;
import org.mailsift.controller.api.ApiRequest;
import org.mailsift.controller.api.ApiResponse;
import org.mailsift.controller.api.Endpoint;
import org.mailsift.controller.stats.ScanStatistics;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.config.UclArray;
import org.mailsift.core.config.UclObject;
import org.mailsift.core.config.UclParser;
import org.mailsift.core.config.UclScalar;
import org.mailsift.core.config.UclValue;
import org.mailsift.core.scan.Action;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON endpoints the web interface adds, in Rspamd's shapes where Rspamd has one: {@code /graph?type=daily}
 * (six series of {x, y} points, messages per second), {@code /pie}, {@code /symbols} (groups of rules with weights),
 * {@code /savesymbols} ([{name, value}] into {@code local.d/groups.conf}), and {@code /configdump} (every merged
 * section, each value with the file and line it came from, secrets hidden). Saved settings are applied at once
 * through {@link ConfigAccess#apply()}; when the new configuration does not load, the previous file is put back.
 */
public final class WebUiEndpoints {
    private static final Logger LOG = LoggerFactory.getLogger(WebUiEndpoints.class);
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SYMBOLS_MARKER = "# written by the mailsift web interface (/savesymbols); edit freely, then it is yours";
    private static final Pattern SYMBOL_NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,128}");
    private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(pass|secret|token|credential|private|_key$|^key$).*");
    private static final double MAX_WEIGHT = 1000;

    private final ThroughputRecorder throughput;
    private final ScanStatistics statistics;
    private final ConfigAccess config;
    private final LocalConfigFile symbolsFile;

    /**
     * @param config        the running configuration, or null (no configuration page: 503)
     * @param savedSettings   where /savesymbols writes groups.conf (the data directory's dynamic/, or local.d), or null
     */
    public WebUiEndpoints(ThroughputRecorder throughput, ScanStatistics statistics, ConfigAccess config, Path savedSettings) {
        this.throughput = throughput;
        this.statistics = statistics;
        this.config = config;
        this.symbolsFile = savedSettings == null ? null : new LocalConfigFile(savedSettings.resolve("groups.conf"), SYMBOLS_MARKER);
    }

    /** /graph?type=hourly|daily|weekly|monthly: [[{x, y}...] x 6], series in Rspamd's order (reject ... no action). */
    public ApiResponse graph(ApiRequest r) {
        String type = r.headers().first("type");
        if (type == null) {
            throw new ApiException(400, "absent graph type");
        }
        ThroughputRecorder.Resolution res = ThroughputRecorder.Resolution.parse(type);
        if (res == null) {
            throw new ApiException(400, "invalid graph type");
        }
        ArrayNode top = JSON.createArrayNode();
        for (ThroughputRecorder.Point[] series : throughput.series(res, System.currentTimeMillis() / 1000)) {
            ArrayNode s = top.addArray();
            for (ThroughputRecorder.Point p : series) {
                ObjectNode o = s.addObject().put("x", p.x());
                if (p.y() == null) {
                    o.putNull("y");
                } else {
                    o.put("y", p.y());
                }
            }
        }
        return ApiResponse.json(top.toString());
    }

    /** /pie: [{action, label, color, data, value}] for the six actions since start (Rspamd's pie colours). */
    public ApiResponse pie(ApiRequest r) {
        ArrayNode top = JSON.createArrayNode();
        pieSlice(top, Action.NO_ACTION, "Clean", "#66cc00");
        pieSlice(top, Action.SOFT_REJECT, "Temporarily rejected", "#BF8040");
        pieSlice(top, Action.ADD_HEADER, "Probable spam", "#FFD700");
        pieSlice(top, Action.REWRITE_SUBJECT, "Subject rewritten", "#FF6600");
        pieSlice(top, Action.GREYLIST, "Greylisted", "#436EEE");
        pieSlice(top, Action.REJECT, "Rejected", "#FF0000");
        return ApiResponse.json(top.toString());
    }

    private void pieSlice(ArrayNode top, Action a, String label, String color) {
        long n = statistics.actionCount(a);
        top.addObject().put("action", a.wireName()).put("label", label).put("color", color).put("data", n).put("value", n);
    }

    /** /symbols: [{group, rules: [{symbol, weight, description, group, frequency, hits, time}]}], groups by name. */
    public ApiResponse symbols(ApiRequest r) {
        ConfigAccess c = requireConfig();
        Map<String, Long> hits = new HashMap<>();
        Map<String, Double> frequency = new HashMap<>();
        long now = System.currentTimeMillis();
        for (ScanStatistics.SymbolCounter sc : statistics.symbolCounters()) {
            hits.put(sc.name(), sc.hits());
            frequency.put(sc.name(), sc.frequency(now, statistics.startMillis()));
        }
        Map<String, List<ConfigAccess.SymbolInfo>> groups = new TreeMap<>();
        for (ConfigAccess.SymbolInfo s : c.symbols()) {
            groups.computeIfAbsent(s.group() == null || s.group().isEmpty() ? "ungrouped" : s.group(), k -> new ArrayList<>()).add(s);
        }
        ArrayNode top = JSON.createArrayNode();
        groups.forEach((group, list) -> {
            ArrayNode rules = top.addObject().put("group", group).putArray("rules");
            list.stream().sorted(Comparator.comparing(ConfigAccess.SymbolInfo::name)).forEach(s -> rules.addObject()
                    .put("symbol", s.name())
                    .put("weight", s.weight())
                    .put("description", s.description() == null ? "" : s.description())
                    .put("group", group)
                    .put("frequency", frequency.getOrDefault(s.name(), 0.0))
                    .put("hits", hits.getOrDefault(s.name(), 0L))
                    .put("time", 0.0));
        });
        return ApiResponse.json(top.toString());
    }

    /** /actions from the running scanner: [{action, value}] for the enabled actions. */
    public ApiResponse actions(ApiRequest r) {
        Map<Action, Double> t = requireConfig().thresholds();
        ArrayNode a = JSON.createArrayNode();
        for (Action act : new Action[] {Action.REJECT, Action.SOFT_REJECT, Action.REWRITE_SUBJECT, Action.ADD_HEADER, Action.GREYLIST}) {
            Double v = t.get(act);
            if (v != null) {
                a.addObject().put("action", act.wireName()).put("value", v);
            }
        }
        return ApiResponse.json(a.toString());
    }

    /**
     * /savesymbols: [{"name": "SYM", "value": 2.5}, ...]; every name must be a known symbol and every value a finite
     * number within +-1000, or nothing is written. Saved weights are kept with those saved before.
     */
    public ApiResponse saveSymbols(ApiRequest r) throws Exception {
        ConfigAccess c = requireConfig();
        if (symbolsFile == null) {
            throw new ApiException(503, "Saving symbols needs a configuration directory");
        }
        Map<String, Double> known = new HashMap<>();
        c.symbols().forEach(s -> known.put(s.name(), s.weight()));
        Map<String, Double> changed = parseSymbolChanges(r.body(), known);
        if (changed.isEmpty()) {
            throw new ApiException(404, "No symbols to save");
        }
        Optional<String> before = symbolsFile.read();
        Map<String, Double> saved = new TreeMap<>(savedWeights());
        saved.putAll(changed);
        StringBuilder body = new StringBuilder("symbols {\n");
        saved.forEach((name, weight) -> body.append("    \"").append(name).append("\" { weight = ")
                .append(number(weight)).append("; }\n"));
        body.append("}\n");
        symbolsFile.write(body.toString());
        applyOrRestore(symbolsFile, before);
        LOG.info("saved {} symbol weight(s) to {} and applied them: {}", changed.size(), symbolsFile.path(), changed);
        return ApiResponse.success();
    }

    static Map<String, Double> parseSymbolChanges(byte[] raw, Map<String, Double> known) {
        JsonNode body;
        try {
            body = JSON.readTree(raw);
        } catch (IOException e) {
            throw new ApiException(400, "Cannot parse input: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (body == null || !body.isArray()) {
            throw new ApiException(400, "Input must be an array of {\"name\": SYMBOL, \"value\": WEIGHT}");
        }
        Map<String, Double> changed = new LinkedHashMap<>();
        for (JsonNode item : body) {
            JsonNode name = item.path("name");
            JsonNode value = item.path("value");
            if (!name.isTextual() || !SYMBOL_NAME.matcher(name.asText()).matches()) {
                throw new ApiException(400, "Each element needs a symbol \"name\" (letters, digits, _ . -)");
            }
            String n = name.asText();
            if (!known.containsKey(n)) {
                throw new ApiException(400, "Unknown symbol " + n);
            }
            if (!value.isNumber() || !Double.isFinite(value.asDouble()) || Math.abs(value.asDouble()) > MAX_WEIGHT) {
                throw new ApiException(400, "Weight of " + n + " must be a number between -" + (int) MAX_WEIGHT + " and " + (int) MAX_WEIGHT);
            }
            if (Math.abs(known.get(n) - value.asDouble()) > 1e-9) {
                changed.put(n, value.asDouble());
            }
        }
        return changed;
    }

    /** The weights our own local.d/groups.conf holds now (none when absent or written by hand). */
    private Map<String, Double> savedWeights() throws IOException {
        Map<String, Double> out = new TreeMap<>();
        if (symbolsFile.read().isEmpty() || !symbolsFile.ours()) {
            return out;
        }
        UclObject parsed = new UclParser(Map.of()).parseFile(symbolsFile.path());
        parsed.getObject("symbols").ifPresent(s -> {
            for (String name : s.keys()) {
                s.getObject(name).flatMap(o -> o.getScalar("weight")).filter(v -> !v.isNull())
                        .ifPresent(v -> out.put(name, v.asDouble()));
            }
        });
        return out;
    }

    /** Applies what was just written; when it does not load, puts {@code before} back and answers 400 with why. */
    void applyOrRestore(LocalConfigFile file, Optional<String> before) throws Exception {
        try {
            config.apply();
        } catch (Exception e) {
            file.replace(before);
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new ApiException(400, "Not saved: the configuration would not load: " + why.replace('\n', ' '));
        }
    }

    /** Wraps /saveactions: after its file is written, the scanner applies it; a failure puts the old file back. */
    public Endpoint applyingActions(Endpoint saveActions, Path actionsFile) {
        return r -> {
            if (config == null || actionsFile == null) {
                return saveActions.handle(r);
            }
            LocalConfigFile file = new LocalConfigFile(actionsFile, "");
            Optional<String> before = file.read();
            ApiResponse saved = saveActions.handle(r);
            if (saved.status() == 200) {
                applyOrRestore(file, before);
            }
            return saved;
        };
    }

    /** /configdump: {directory, sections: [{name, files, entries: [{key, value, file, line}]}]}. */
    public ApiResponse configDump(ApiRequest r) {
        ConfigSource source = requireConfig().configuration();
        if (!(source instanceof ConfigDirectory dir)) {
            throw new ApiException(503, "The configuration is not read from a directory");
        }
        ObjectNode top = JSON.createObjectNode();
        top.put("directory", dir.directory().toString());
        ArrayNode sections = top.putArray("sections");
        for (String name : new java.util.TreeSet<>(dir.sectionNames())) {
            ObjectNode s = sections.addObject().put("name", name);
            ArrayNode files = s.putArray("files");
            dir.filesOf(name).forEach(f -> files.add(relative(dir.directory(), f.toString())));
            ArrayNode entries = s.putArray("entries");
            try {
                flatten(name, dir.section(name), entries, dir.directory(), false);
            } catch (RuntimeException e) {
                s.put("error", e.getMessage());
            }
        }
        return ApiResponse.json(top.toString());
    }

    private static void flatten(String key, UclValue v, ArrayNode out, Path dir, boolean secret) {
        boolean hide = secret || SECRET_KEY.matcher(lastPart(key)).matches();
        switch (v) {
            case UclObject o -> {
                if (o.keys().isEmpty()) {
                    entry(out, key, "{}", o.position().file(), o.position().line(), dir);
                }
                for (Map.Entry<String, List<UclValue>> e : o.entries().entrySet()) {
                    for (UclValue child : e.getValue()) {
                        flatten(key + "." + e.getKey(), child, out, dir, hide);
                    }
                }
            }
            case UclArray a -> {
                for (int i = 0; i < a.items().size(); i++) {
                    flatten(key + "[" + i + "]", a.items().get(i), out, dir, hide);
                }
            }
            case UclScalar s -> entry(out, key, hide ? "********" : s.isNull() ? "null" : s.asString(),
                    s.position().file(), s.position().line(), dir);
        }
    }

    private static String lastPart(String key) {
        int dot = key.lastIndexOf('.');
        String last = dot < 0 ? key : key.substring(dot + 1);
        int bracket = last.indexOf('[');
        return bracket < 0 ? last : last.substring(0, bracket);
    }

    private static void entry(ArrayNode out, String key, String value, String file, int line, Path dir) {
        out.addObject().put("key", key).put("value", value).put("file", relative(dir, file)).put("line", line);
    }

    private static String relative(Path dir, String file) {
        String prefix = dir.toString() + "/";
        return file != null && file.startsWith(prefix) ? file.substring(prefix.length()) : String.valueOf(file);
    }

    private ConfigAccess requireConfig() {
        if (config == null) {
            throw new ApiException(503, "The configuration is not available in this process");
        }
        return config;
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.format(Locale.ROOT, "%.1f", v) : Double.toString(v);
    }
}

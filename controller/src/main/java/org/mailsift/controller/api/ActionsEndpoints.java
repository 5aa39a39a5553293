package org.mailsift.controller.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.mailsift.core.scan.Action;

/**
 * /actions lists the action thresholds; /saveactions takes Rspamd's body (a JSON array of exactly four numbers or
 * nulls: reject, rewrite subject, add header, greylist) and writes them to {@code actions.conf} in the data
 * directory's {@code dynamic/} (merged over the configuration directory's files; {@code local.d/} when there is no
 * data directory), which the scanner reads at start. A hand-written actions.conf (one without our marker line) is never overwritten.
 */
public final class ActionsEndpoints {
    private static final Logger LOG = LoggerFactory.getLogger(ActionsEndpoints.class);
    static final String MARKER = "# written by the mailsift controller (/saveactions); edit freely, then it is yours";
    private static final Action[] SAVE_ORDER = {Action.REJECT, Action.REWRITE_SUBJECT, Action.ADD_HEADER, Action.GREYLIST};

    private final Map<Action, Double> thresholds = new EnumMap<>(Action.class);
    private final Path actionsFile;

    /**
     * @param thresholds  current thresholds (missing = disabled)
     * @param actionsFile {@code <dbdir>/dynamic/actions.conf} (or {@code <config>/local.d/actions.conf}), or null when
     *                    saving is not possible
     */
    public ActionsEndpoints(Map<Action, Double> thresholds, Path actionsFile) {
        this.thresholds.putAll(thresholds);
        this.actionsFile = actionsFile;
    }

    public ApiResponse actions(ApiRequest r) {
        ArrayNode a = StatusEndpoints.MAPPER.createArrayNode();
        synchronized (thresholds) {
            for (Action act : new Action[] {Action.REJECT, Action.SOFT_REJECT, Action.REWRITE_SUBJECT, Action.ADD_HEADER, Action.GREYLIST}) {
                Double v = thresholds.get(act);
                if (v != null) {
                    a.addObject().put("action", act.wireName()).put("value", v);
                }
            }
        }
        return ApiResponse.json(a.toString());
    }

    public ApiResponse saveActions(ApiRequest r) throws IOException {
        JsonNode body;
        try {
            body = StatusEndpoints.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new ApiException(400, "Cannot parse input: " + e.getMessage());
        }
        if (body == null || !body.isArray() || body.size() != 4) {
            throw new ApiException(400, "Input must be an array of 4 elements: reject, rewrite subject, add header, greylist");
        }
        Map<Action, Double> updated = new EnumMap<>(Action.class);
        for (int i = 0; i < 4; i++) {
            JsonNode n = body.get(i);
            if (n.isNumber() && Double.isFinite(n.asDouble())) {
                updated.put(SAVE_ORDER[i], n.asDouble());
            } else if (!n.isNull()) {
                throw new ApiException(400, "Element " + i + " must be a number or null");
            }
        }
        requireAscending(updated);
        if (actionsFile == null) {
            throw new ApiException(503, "Saving actions needs a configuration directory");
        }
        persist(updated);
        synchronized (thresholds) {
            for (Action a : SAVE_ORDER) {
                thresholds.remove(a);
            }
            thresholds.putAll(updated);
        }
        LOG.info("saved action thresholds {} to {}", updated, actionsFile);
        return ApiResponse.success();
    }

    /** Enabled thresholds must not fall as the action gets stronger: greylist <= add header <= rewrite subject <= reject. */
    static void requireAscending(Map<Action, Double> t) {
        Action[] weakToStrong = {Action.GREYLIST, Action.ADD_HEADER, Action.REWRITE_SUBJECT, Action.REJECT};
        Action lower = null;
        for (Action a : weakToStrong) {
            Double v = t.get(a);
            if (v == null) {
                continue;
            }
            if (lower != null && v < t.get(lower)) {
                throw new ApiException(400, "Thresholds out of order: " + a.wireName() + " (" + v + ") is below "
                        + lower.wireName() + " (" + t.get(lower) + ")");
            }
            lower = a;
        }
    }

    private void persist(Map<Action, Double> updated) throws IOException {
        if (Files.exists(actionsFile)) {
            String existing = Files.readString(actionsFile, StandardCharsets.UTF_8);
            if (!existing.startsWith(MARKER)) {
                throw new ApiException(409, actionsFile + " is maintained by hand; edit it there");
            }
        }
        StringBuilder sb = new StringBuilder(MARKER).append('\n');
        for (Action a : SAVE_ORDER) {
            Double v = updated.get(a);
            sb.append(a.configKey()).append(" = ").append(v == null ? "null" : String.format(Locale.ROOT, "%s", v)).append(";\n");
        }
        Files.createDirectories(actionsFile.getParent());
        Path tmp = actionsFile.resolveSibling(actionsFile.getFileName() + ".tmp");
        Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
        Files.move(tmp, actionsFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}

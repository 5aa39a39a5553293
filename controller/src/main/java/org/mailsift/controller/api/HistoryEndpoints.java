package org.mailsift.controller.api;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.mailsift.controller.stats.RecentErrors;
import org.mailsift.controller.stats.ScanHistory;
import org.mailsift.core.scan.SymbolResult;

/**
 * /history, /historyreset and /errors. History rows use Rspamd's legacy row keys (time, unix_time, id, ip, action,
 * score, required_score, symbols, size, scan_time, user, from) plus rcpt, subject and source.
 */
public final class HistoryEndpoints {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private final ScanHistory history;
    private final RecentErrors errors;

    public HistoryEndpoints(ScanHistory history, RecentErrors errors) {
        this.history = history;
        this.errors = errors;
    }

    public ApiResponse history(ApiRequest r) {
        ArrayNode rows = StatusEndpoints.MAPPER.createArrayNode();
        for (ScanHistory.Row row : history.rows()) {
            ObjectNode o = rows.addObject();
            o.put("time", TIME.format(Instant.ofEpochMilli(row.unixTimeMillis())));
            o.put("unix_time", row.unixTimeMillis() / 1000);
            o.put("id", row.messageId());
            o.put("ip", row.ip() == null ? "" : row.ip());
            o.put("action", row.action().wireName());
            o.put("score", row.score());
            o.put("required_score", row.requiredScore());
            ObjectNode syms = o.putObject("symbols");
            for (SymbolResult s : row.symbols()) {
                ObjectNode so = syms.putObject(s.name());
                so.put("name", s.name());
                so.put("score", s.score());
                so.put("metric_score", s.weight());
                if (!s.options().isEmpty()) {
                    ArrayNode opts = so.putArray("options");
                    s.options().forEach(opts::add);
                }
            }
            o.put("size", row.size());
            o.put("scan_time", row.scanTimeSeconds());
            o.put("time_real", row.scanTimeSeconds());
            o.put("user", row.user() == null ? "" : row.user());
            o.put("from", row.from() == null ? "" : row.from());
            ArrayNode rcpt = o.putArray("rcpt");
            row.rcpt().forEach(rcpt::add);
            o.put("subject", row.subject());
            o.put("source", row.source());
        }
        return ApiResponse.json(rows.toString());
    }

    public ApiResponse historyReset(ApiRequest r) {
        history.clear();
        return ApiResponse.success();
    }

    /** [{ts, type, pid, module, id, message}] as Rspamd's error buffer export. */
    public ApiResponse errors(ApiRequest r) {
        ArrayNode a = StatusEndpoints.MAPPER.createArrayNode();
        for (RecentErrors.Entry e : errors.entries()) {
            ObjectNode o = a.addObject();
            o.put("ts", e.unixTimeSeconds());
            o.put("type", "error");
            o.put("pid", ProcessHandle.current().pid());
            o.put("module", e.module());
            o.put("id", "");
            o.put("message", e.message());
        }
        return ApiResponse.json(a.toString());
    }
}

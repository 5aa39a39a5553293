package org.mailsift.scanner.multimap;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import com.google.common.net.InetAddresses;
import org.mailsift.core.dns.DnsRecordType;
import org.mailsift.core.scan.Action;
import org.mailsift.scanner.rules.AsyncRule;
import org.mailsift.scanner.rules.ScanContext;
import org.mailsift.scanner.rules.SymbolDefinition;

/**
 * multimap {@code type = "dnsbl"}: the client's address asked of the DNS list named by {@code map}
 * ({@code 7.100.51.198.zone}; IPv6 by nibbles), through the daemon's one resolver within the message's DNS budget,
 * as Rspamd's multimap does: any answer inserts the symbol with the zone as its option, and {@code action} forces
 * that action. No answer, or no resolver (configtest, the CLI), inserts nothing.
 */
final class DnsblRule implements AsyncRule {
    private final String symbol;
    private final String zone;
    private final List<SymbolDefinition> definitions;
    private final Action action;
    private final String message;

    DnsblRule(String symbol, String zone, List<SymbolDefinition> definitions, Action action, String message) {
        this.symbol = symbol;
        this.zone = zone.strip();
        this.definitions = List.copyOf(definitions);
        this.action = action;
        this.message = message;
    }

    @Override
    public List<SymbolDefinition> symbols() {
        return definitions;
    }

    @Override
    public CompletionStage<Consumer<ScanContext>> start(ScanContext ctx) {
        String ip = ctx.envelope().clientIp();
        if (!ctx.dns().isEnabled() || ip == null || !InetAddresses.isInetAddress(ip)) {
            return CompletableFuture.completedFuture(c -> { });
        }
        return ctx.dns().query(reversed(InetAddresses.forString(ip)) + "." + zone, DnsRecordType.A)
                .<Consumer<ScanContext>>thenApply(answer -> answer.isOk() && !answer.records().isEmpty() ? c -> {
                    c.insert(symbol, 1.0, List.of(zone));
                    if (action != null) {
                        c.forceAction(action, message != null ? message : "Matched map: " + symbol);
                    }
                } : c -> { })
                .exceptionally(e -> c -> { });
    }

    /** The address as DNS lists want it: octets reversed (IPv4), nibbles reversed (IPv6). */
    static String reversed(InetAddress ip) {
        byte[] a = ip.getAddress();
        StringBuilder out = new StringBuilder();
        if (ip instanceof Inet4Address) {
            for (int i = a.length - 1; i >= 0; i--) {
                out.append(a[i] & 0xff).append(i > 0 ? "." : "");
            }
            return out.toString();
        }
        for (int i = a.length - 1; i >= 0; i--) {
            out.append(Character.forDigit(a[i] & 0xf, 16)).append('.').append(Character.forDigit((a[i] >> 4) & 0xf, 16));
            out.append(i > 0 ? "." : "");
        }
        return out.toString();
    }
}

package org.mailsift.scanner.rules;

import java.util.List;

/** How many Received headers the message collected (Rspamd's RCVD_COUNT_* and the once_received module). */
public final class ReceivedRules implements Rule {
    private static final int[] THRESHOLDS = {1, 2, 3, 5, 7, 12};
    private static final String[] NAMES = {"ONE", "TWO", "THREE", "FIVE", "SEVEN", "TWELVE"};

    @Override
    public List<SymbolDefinition> symbols() {
        return List.of(
                Symbols.def("RCVD_COUNT_ZERO", "headers", 0.0, "Message has no Received headers"),
                Symbols.def("RCVD_COUNT_ONE", "headers", 0.0, "Message has one Received header"),
                Symbols.def("RCVD_COUNT_TWO", "headers", 0.0, "Message has two Received headers"),
                Symbols.def("RCVD_COUNT_THREE", "headers", 0.0, "Message has 3-5 Received headers"),
                Symbols.def("RCVD_COUNT_FIVE", "headers", 0.0, "Message has 5-7 Received headers"),
                Symbols.def("RCVD_COUNT_SEVEN", "headers", 0.0, "Message has 7-11 Received headers"),
                Symbols.def("RCVD_COUNT_TWELVE", "headers", 0.0, "Message has 12 or more Received headers"),
                Symbols.def("ONCE_RECEIVED", "headers", 0.1, "One received header in a message"));
    }

    @Override
    public void check(ScanContext ctx) {
        int n = ctx.message().headerValues("Received").size();
        ctx.insert("RCVD_COUNT_" + Symbols.bucket(n, THRESHOLDS, NAMES), 1.0, List.of(Integer.toString(n)));
        // once_received skips local and authenticated senders (check_local / check_authed default off)
        if (n <= 1 && !ctx.isLocalOrAuthenticated()) {
            ctx.insert("ONCE_RECEIVED");
        }
    }
}

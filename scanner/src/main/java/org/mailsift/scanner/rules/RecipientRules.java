package org.mailsift.scanner.rules;

import java.util.ArrayList;
import java.util.List;

/** Recipients in To/Cc: how many, and whether they carry display names (Rspamd's CHECK_TO_CC). */
public final class RecipientRules implements Rule {
    private static final int[] THRESHOLDS = {1, 2, 3, 5, 7, 12, 50};
    private static final String[] NAMES = {"ONE", "TWO", "THREE", "FIVE", "SEVEN", "TWELVE", "GT_50"};

    @Override
    public List<SymbolDefinition> symbols() {
        return List.of(
                Symbols.def("RCPT_COUNT_ZERO", "headers", 0.0, "No recipients"),
                Symbols.def("RCPT_COUNT_ONE", "headers", 0.0, "One recipient"),
                Symbols.def("RCPT_COUNT_TWO", "headers", 0.0, "Two recipients"),
                Symbols.def("RCPT_COUNT_THREE", "headers", 0.0, "3-5 recipients"),
                Symbols.def("RCPT_COUNT_FIVE", "headers", 0.0, "5-7 recipients"),
                Symbols.def("RCPT_COUNT_SEVEN", "headers", 0.0, "7-11 recipients"),
                Symbols.def("RCPT_COUNT_TWELVE", "headers", 0.0, "12-50 recipients"),
                Symbols.def("RCPT_COUNT_GT_50", "headers", 0.0, "50+ recipients"),
                Symbols.def("TO_DN_NONE", "headers", 0.0, "None of the recipients have display names"),
                Symbols.def("TO_DN_ALL", "headers", 0.0, "All the recipients have display names"),
                Symbols.def("TO_DN_SOME", "headers", 0.0, "Some of the recipients have display names"));
    }

    @Override
    public void check(ScanContext ctx) {
        List<String> to = Symbols.raw(ctx, "To");
        if (to.isEmpty()) {
            return;
        }
        List<MailAddress> rcpts = new ArrayList<>();
        for (String h : to) {
            rcpts.addAll(MailAddress.parseList(h));
        }
        for (String h : Symbols.raw(ctx, "Cc")) {
            rcpts.addAll(MailAddress.parseList(h));
        }
        int n = rcpts.size();
        ctx.insert("RCPT_COUNT_" + Symbols.bucket(n, THRESHOLDS, NAMES), 1.0, List.of(Integer.toString(n)));
        if (n == 0) {
            return;
        }
        int withName = 0;
        int nameIsAddr = 0;
        for (MailAddress a : rcpts) {
            if (a.hasName() && a.name().equalsIgnoreCase(a.addr())) {
                nameIsAddr++;
            } else if (a.hasName()) {
                withName++;
            }
        }
        if (withName == 0 && nameIsAddr == 0) {
            ctx.insert("TO_DN_NONE");
        } else if (withName == n) {
            ctx.insert("TO_DN_ALL");
        } else if (withName > 0) {
            ctx.insert("TO_DN_SOME");
        }
    }
}

package org.mailsift.scanner.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.mailsift.core.message.ParsedMessage;

/**
 * R_PARTS_DIFFER: the text and HTML alternatives of a multipart/alternative say different things. As Rspamd: the
 * word-level edit distance relative to the longer part; from 50% on, the runtime score is (d - 0.5) × 2 when there are
 * more than 30 words, else (d - 0.5). Words are capped so the distance stays cheap.
 */
public final class PartsDifferRule implements Rule {
    private static final int MAX_WORDS = 256;

    @Override
    public List<SymbolDefinition> symbols() {
        return List.of(Symbols.def("R_PARTS_DIFFER", "body", 1.0, "Text and HTML parts differ"));
    }

    @Override
    public void check(ScanContext ctx) {
        ParsedMessage.TextPart plain = null;
        ParsedMessage.TextPart html = null;
        for (ParsedMessage.TextPart p : ctx.message().textParts()) {
            if (!p.inAlternative()) {
                continue;
            }
            if (p.isHtml() && html == null) {
                html = p;
            } else if (!p.isHtml() && plain == null) {
                plain = p;
            }
        }
        if (plain == null || html == null) {
            return;
        }
        List<String> a = words(plain.text());
        List<String> b = words(html.text());
        if (a.isEmpty() && b.isEmpty()) {
            return;
        }
        int distance = distance(a, b);
        double nd = (double) distance / Math.max(a.size(), b.size());
        int total = a.size() + b.size();
        if (nd >= 0.5) {
            double score = total > 30 ? (nd - 0.5) * 2.0 : nd - 0.5;
            ctx.insert("R_PARTS_DIFFER", score, List.of(String.format(Locale.ROOT, "%.1f%%", 100.0 * nd)));
        }
    }

    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n && out.size() < MAX_WORDS) {
            while (i < n && !Character.isLetterOrDigit(text.charAt(i))) {
                i++;
            }
            int s = i;
            while (i < n && Character.isLetterOrDigit(text.charAt(i))) {
                i++;
            }
            if (i > s) {
                out.add(text.substring(s, i).toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    /** Word-level Levenshtein distance over word hashes (as Rspamd compares word hashes). */
    static int distance(List<String> wa, List<String> wb) {
        int[] a = wa.stream().mapToInt(String::hashCode).toArray();
        int[] b = wb.stream().mapToInt(String::hashCode).toArray();
        int[] prev = new int[b.length + 1];
        int[] cur = new int[b.length + 1];
        for (int j = 0; j <= b.length; j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length; i++) {
            cur[0] = i;
            int ai = a[i - 1];
            for (int j = 1; j <= b.length; j++) {
                int sub = prev[j - 1] + (ai == b[j - 1] ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length];
    }
}

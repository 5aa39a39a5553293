package org.mailsift.scanner.rules;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.mailsift.core.message.ParsedMessage;

/**
 * Short HTML parts that are little more than a linked embedded image (Rspamd's HTML_SHORT_LINK_IMG_1..3): an
 * {@code <img src="cid:...">} of at least 210 px (width + height) inside an {@code <a>}, in an HTML part under 2 KB.
 */
public final class HtmlRules implements Rule {
    private static final Pattern LINKED_IMG = Pattern.compile("<a\\s[^>]*>(?:(?!</a>)[\\s\\S]){0,2048}?<img\\s([^>]*)>",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern SIZE_ATTR = Pattern.compile("\\b(width|height)\\s*=\\s*[\"']?(\\d{1,5})",
            Pattern.CASE_INSENSITIVE);

    @Override
    public List<SymbolDefinition> symbols() {
        return List.of(
                Symbols.def("HTML_SHORT_LINK_IMG_1", "html", 2.0, "Short HTML part (0..1K) with a link to an image"),
                Symbols.def("HTML_SHORT_LINK_IMG_2", "html", 1.0, "Short HTML part (1K..1.5K) with a link to an image"),
                Symbols.def("HTML_SHORT_LINK_IMG_3", "html", 0.5, "Short HTML part (1.5K..2K) with a link to an image"));
    }

    @Override
    public void check(ScanContext ctx) {
        for (ParsedMessage.TextPart p : ctx.message().textParts()) {
            if (!p.isHtml()) {
                continue;
            }
            int len = p.html().length();
            if (len >= 2048 || !hasLinkedEmbeddedImage(p.html())) {
                continue;
            }
            ctx.insert(len < 1024 ? "HTML_SHORT_LINK_IMG_1" : len < 1536 ? "HTML_SHORT_LINK_IMG_2" : "HTML_SHORT_LINK_IMG_3");
            return;
        }
    }

    static boolean hasLinkedEmbeddedImage(String html) {
        Matcher m = LINKED_IMG.matcher(html);
        while (m.find()) {
            String attrs = m.group(1);
            if (!attrs.toLowerCase(Locale.ROOT).replace(" ", "").matches(".*src=[\"']?cid:.*")) {
                continue;
            }
            int size = 0;
            Matcher s = SIZE_ATTR.matcher(attrs);
            while (s.find()) {
                size += Integer.parseInt(s.group(2));
            }
            if (size >= 210) {
                return true;
            }
        }
        return false;
    }
}

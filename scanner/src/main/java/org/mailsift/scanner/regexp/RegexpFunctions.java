package org.mailsift.scanner.regexp;

import java.util.List;
import java.util.Locale;

import org.mailsift.core.message.ParsedMessage;

/** Rspamd's internal expression functions that mailsift evaluates (src/libmime/mime_expressions.c). */
final class RegexpFunctions {
    private RegexpFunctions() {
    }

    static boolean call(RegexpAtom.Function f, ParsedMessage message) {
        List<String> args = f.args();
        return switch (f.name()) {
            case "header_exists", "raw_header_exists" -> !args.isEmpty()
                    && message.headers().stream().anyMatch(h -> h.name().equalsIgnoreCase(args.get(0)));
            case "is_empty_body" -> message.textParts().stream().allMatch(p -> p.text().isBlank())
                    && message.attachments().isEmpty();
            case "has_only_html_part" -> !message.textParts().isEmpty()
                    && message.textParts().stream().allMatch(ParsedMessage.TextPart::isHtml);
            case "has_html_tag" -> !args.isEmpty() && message.textParts().stream().filter(ParsedMessage.TextPart::isHtml)
                    .anyMatch(p -> p.html().toLowerCase(Locale.ROOT).contains("<" + args.get(0).toLowerCase(Locale.ROOT)));
            case "has_content_part" -> !args.isEmpty() && message.partTypes().stream()
                    .anyMatch(t -> t.startsWith(args.get(0).toLowerCase(Locale.ROOT) + "/")
                            && (args.size() < 2 || t.endsWith("/" + args.get(1).toLowerCase(Locale.ROOT))));
            case "content_type_is_type" -> !args.isEmpty() && topType(message).startsWith(
                    args.get(0).toLowerCase(Locale.ROOT) + "/");
            case "content_type_is_subtype" -> !args.isEmpty() && topType(message).endsWith(
                    "/" + args.get(0).toLowerCase(Locale.ROOT));
            default -> false;
        };
    }

    private static String topType(ParsedMessage message) {
        String ct = message.firstHeader("Content-Type").orElse("text/plain");
        int semi = ct.indexOf(';');
        return (semi >= 0 ? ct.substring(0, semi) : ct).strip().toLowerCase(Locale.ROOT);
    }
}

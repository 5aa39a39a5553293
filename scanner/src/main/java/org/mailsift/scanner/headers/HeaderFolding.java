package org.mailsift.scanner.headers;

/**
 * Rspamd's folding with stop characters (rspamd_header_value_fold with fold_on_chars): the value is folded after
 * every stop character, one whitespace after it is dropped, and the fold sequence is CRLF + TAB.
 */
public final class HeaderFolding {
    public static final String FOLD = "\r\n\t";

    private HeaderFolding() {
    }

    public static String foldAfter(String value, char stopChar) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        int n = value.length();
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            out.append(c);
            if (c == stopChar && i + 1 < n) {
                // trailing spaces before the fold move to the next line's start, as Rspamd does; we have none
                out.append(FOLD);
                if (value.charAt(i + 1) == ' ' || value.charAt(i + 1) == '\t') {
                    i++;
                }
            }
        }
        return out.toString();
    }
}

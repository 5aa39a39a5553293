package org.mailsift.scanner.rules;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Subject shape (Rspamd's subject_checks.lua and regexp/headers.lua). */
public final class SubjectRules implements Rule {
    private static final Pattern REPLY_PREFIX = Pattern.compile("^(?:(?:Re|Fwd|Fw|Aw|Antwort|Sv):\\s*)+(.+)$",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern ENDS_EXCLAIM = Pattern.compile("!\\s*$");

    @Override
    public List<SymbolDefinition> symbols() {
        return List.of(
                Symbols.def("SUBJ_ALL_CAPS", "subject", 3.0, "Subject contains mostly capital letters"),
                Symbols.def("SUBJECT_ENDS_EXCLAIM", "headers", 0.0, "Subject ends with an exclamation mark"));
    }

    @Override
    public void check(ScanContext ctx) {
        Optional<String> subject = ctx.message().subject();
        if (subject.isEmpty()) {
            return;
        }
        String sbj = subject.get();
        if (sbj.length() > 4096) {
            sbj = sbj.substring(0, 4096);
        }
        Matcher m = REPLY_PREFIX.matcher(sbj);
        if (m.matches()) {
            sbj = m.group(1);
        }
        if (isUppercase(sbj)) {
            int len = sbj.codePointCount(0, sbj.length());
            // normalize_linear: the score grows with length, full at 40 characters
            ctx.insert("SUBJ_ALL_CAPS", Math.min(1.0, len / 40.0), List.of(Integer.toString(len)));
        }
        if (ENDS_EXCLAIM.matcher(subject.get()).find()) {
            ctx.insert("SUBJECT_ENDS_EXCLAIM");
        }
    }

    /** Rspamd's util.is_uppercase: there are letters and none of them is lower case. */
    static boolean isUppercase(String s) {
        int upper = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLetter(cp)) {
                if (Character.isLowerCase(cp)) {
                    return false;
                }
                if (Character.isUpperCase(cp)) {
                    upper++;
                }
            }
        }
        return upper > 0;
    }
}

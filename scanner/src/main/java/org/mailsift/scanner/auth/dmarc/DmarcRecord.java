package org.mailsift.scanner.auth.dmarc;

import java.util.Locale;

import org.mailsift.scanner.auth.RecordMemo;
import org.mailsift.scanner.auth.dkim.TagList;

/**
 * A DMARC policy record (RFC 7489 section 6.3): v=DMARC1 first; p= required; sp, adkim, aspf, pct read; every
 * other tag (rua, ruf, fo, rf, ri, unknown ones) ignored, as the RFC says.
 */
public record DmarcRecord(Policy policy, Policy subdomainPolicy, boolean strictDkim, boolean strictSpf, int pct) {
    public enum Policy {
        NONE, QUARANTINE, REJECT;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final java.util.regex.Pattern PCT = java.util.regex.Pattern.compile("\\d{1,3}");

    public static final class BadRecordException extends Exception {
        public BadRecordException(String m) {
            super(m, null, false, false);
        }
    }

    /** Whether a TXT string is meant as a DMARC record (others at _dmarc are ignored). */
    public static boolean isDmarc(String txt) {
        String t = txt.stripLeading();
        return t.regionMatches(true, 0, "v=DMARC1", 0, 8) && (t.length() == 8 || t.charAt(8) == ';' || t.charAt(8) == ' '
                || t.charAt(8) == '\t');
    }

    private static final RecordMemo<Object> PARSED = new RecordMemo<>(10_000);

    /** Parses {@code txt}; the same text (a cached answer, asked for every message) is parsed once. */
    public static DmarcRecord parse(String txt) throws BadRecordException {
        Object r = PARSED.get(txt, t -> {
            try {
                return parseNow(t);
            } catch (BadRecordException e) {
                return e.getMessage();
            }
        });
        if (r instanceof String error) {
            throw new BadRecordException(error);
        }
        return (DmarcRecord) r;
    }

    private static DmarcRecord parseNow(String txt) throws BadRecordException {
        TagList t;
        try {
            t = TagList.parse(txt);
        } catch (TagList.MalformedTagsException e) {
            throw new BadRecordException(e.getMessage());
        }
        if (!"v".equals(t.firstTag().orElse("")) || !"DMARC1".equals(t.get("v").orElseThrow())) {
            throw new BadRecordException("v=DMARC1 must come first");
        }
        Policy p = policy(t.get("p").orElseThrow(() -> new BadRecordException("no p= tag")));
        Policy sp = t.has("sp") ? policy(t.get("sp").orElseThrow()) : p;
        boolean adkim = alignment(t.get("adkim").orElse("r"));
        boolean aspf = alignment(t.get("aspf").orElse("r"));
        int pct = 100;
        if (t.has("pct")) {
            String v = t.get("pct").orElseThrow();
            if (!PCT.matcher(v).matches() || Integer.parseInt(v) > 100) {
                throw new BadRecordException("bad pct=" + v);
            }
            pct = Integer.parseInt(v);
        }
        return new DmarcRecord(p, sp, adkim, aspf, pct);
    }

    private static Policy policy(String v) throws BadRecordException {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "none" -> Policy.NONE;
            case "quarantine" -> Policy.QUARANTINE;
            case "reject" -> Policy.REJECT;
            default -> throw new BadRecordException("bad policy " + (v.length() > 20 ? v.substring(0, 20) : v));
        };
    }

    private static boolean alignment(String v) throws BadRecordException {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "r" -> false;
            case "s" -> true;
            default -> throw new BadRecordException("bad alignment mode " + v);
        };
    }
}

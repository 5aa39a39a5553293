package org.mailsift.core.message;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Charset lookup with the aliases mail uses, cached; unknown names resolve to empty. */
final class Charsets {
    static final Charset WINDOWS_1252 = lookup("windows-1252").orElse(StandardCharsets.ISO_8859_1);
    private static final ConcurrentHashMap<String, Optional<Charset>> CACHE = new ConcurrentHashMap<>();

    private Charsets() {
    }

    static Optional<Charset> forName(String name) {
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        String key = name.trim().toLowerCase(Locale.ROOT);
        if (key.length() > 40) {
            return Optional.empty();
        }
        if (CACHE.size() > 500) {
            return lookup(key);
        }
        return CACHE.computeIfAbsent(key, Charsets::lookup);
    }

    private static Optional<Charset> lookup(String key) {
        String k = switch (key) {
            case "utf8", "unicode-1-1-utf-8" -> "utf-8";
            case "ascii", "us-ascii", "ansi_x3.4-1968", "iso646-us" -> "us-ascii";
            case "latin1", "latin-1" -> "iso-8859-1";
            case "iso-8859-8-i" -> "iso-8859-8";
            case "ks_c_5601-1987", "ks_c_5601", "ksc5601" -> "euc-kr";
            case "gb2312", "gb_2312-80", "x-gbk", "chinese" -> "gbk";
            case "x-sjis", "shift-jis", "sjis" -> "shift_jis";
            case "x-unknown", "unknown", "unknown-8bit", "x-user-defined" -> "windows-1252";
            default -> key;
        };
        try {
            Charset cs = Charset.forName(k);
            // us-ascii mislabels 8-bit text so often that windows-1252 (its superset) is the better reading
            return Optional.of(cs.equals(StandardCharsets.US_ASCII) ? WINDOWS_1252 : cs);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Text of a part's bytes in its declared charset: without one, {@link #decodeUtf8OrLatin}; an unknown one is read
     * as windows-1252 (callers that record damage check {@link #forName} themselves).
     */
    static String decode(String charset, byte[] bytes, int len) {
        if (charset == null || charset.isBlank()) {
            return decodeUtf8OrLatin(bytes, 0, len);
        }
        Charset cs = forName(charset).orElse(WINDOWS_1252);
        return new String(bytes, 0, len, cs);
    }

    /** Strict UTF-8 when the bytes are valid UTF-8, else windows-1252. */
    static String decodeUtf8OrLatin(byte[] b, int off, int len) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, off, len)).toString();
        } catch (CharacterCodingException e) {
            return new String(b, off, len, WINDOWS_1252);
        }
    }
}

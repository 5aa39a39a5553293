package org.mailsift.scanner.auth.dkim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A DKIM tag=value list (RFC 6376 section 3.2), used by DKIM-Signature, key records, ARC headers and DMARC-like
 * records. Folding white space around tags and values is removed; a duplicate tag or a tag without '=' makes the
 * whole list invalid, as the RFC requires.
 */
public final class TagList {
    /** Thrown for a list the RFC says to reject. */
    public static final class MalformedTagsException extends Exception {
        public MalformedTagsException(String message) {
            super(message, null, false, false);
        }
    }

    /** Lists longer than this are not DKIM (a key record is < 1 KB; a signature a few KB). */
    static final int MAX_LENGTH = 64 * 1024;
    private static final Pattern TAG_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    static final int MAX_TAGS = 64;

    private final Map<String, String> tags;

    private TagList(Map<String, String> tags) {
        this.tags = tags;
    }

    public static TagList parse(String text) throws MalformedTagsException {
        if (text.length() > MAX_LENGTH) {
            throw new MalformedTagsException("tag list too long");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (String part : text.split(";", -1)) {
            String p = strip(part);
            if (p.isEmpty()) {
                continue; // an empty tag-spec (trailing ';') is allowed
            }
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new MalformedTagsException("tag without a name or '=': " + shorten(p));
            }
            String name = strip(p.substring(0, eq));
            if (!TAG_NAME.matcher(name).matches()) {
                throw new MalformedTagsException("bad tag name: " + shorten(name));
            }
            if (tags.put(name, strip(p.substring(eq + 1))) != null) {
                throw new MalformedTagsException("duplicate tag " + name);
            }
            if (tags.size() > MAX_TAGS) {
                throw new MalformedTagsException("too many tags");
            }
        }
        return new TagList(tags);
    }

    public Optional<String> get(String tag) {
        return Optional.ofNullable(tags.get(tag));
    }

    public boolean has(String tag) {
        return tags.containsKey(tag);
    }

    public String require(String tag) throws MalformedTagsException {
        String v = tags.get(tag);
        if (v == null) {
            throw new MalformedTagsException("missing tag " + tag + "=");
        }
        return v;
    }

    /** The first tag's name (a key record's v= must come first). */
    public Optional<String> firstTag() {
        return tags.keySet().stream().findFirst();
    }

    /** Removes all folding white space (for base64 values). */
    public static String noWhitespace(String v) {
        StringBuilder sb = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    static String strip(String s) {
        int b = 0;
        int e = s.length();
        while (b < e && isFws(s.charAt(b))) {
            b++;
        }
        while (e > b && isFws(s.charAt(e - 1))) {
            e--;
        }
        return s.substring(b, e);
    }

    static boolean isFws(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}

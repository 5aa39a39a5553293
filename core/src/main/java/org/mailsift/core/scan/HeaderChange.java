package org.mailsift.core.scan;

/**
 * One header edit of a verdict. A scan produces one ordered list of them ({@link ScanResult#headerChanges()}); every
 * path that writes the verdict into a message uses that list unchanged: the milter translates it into indexed milter
 * replies, {@link org.mailsift.core.message.HeaderRewriter} applies it for {@code scan --mime}, {@code filter},
 * {@code deliver}, and the HTTP reply carries it as Rspamd's milter block. Edits apply in order, each to the header as
 * the previous edits left it.
 *
 * <p>Index meanings (the same everywhere):
 * <ul>
 * <li>ADD: {@code -1} appends at the end of the header block; {@code n >= 0} inserts before the n-th field (0 = top),
 * like the milter's INSHEADER;</li>
 * <li>REMOVE: {@code 0} deletes every instance of the name; {@code n > 0} the n-th instance (1-based);
 * {@code n < 0} counts from the end ({@code -1} = the last instance), as in Rspamd's {@code remove_headers};</li>
 * <li>SET: replaces the n-th instance ({@code n >= 1}) in place, or appends when there is no such instance,
 * like the milter's CHGHEADER.</li>
 * </ul>
 *
 * @param kind  see above
 * @param name  header name
 * @param value header value (unfolded, or already folded with CRLF + whitespace); null for REMOVE
 * @param index see above
 */
public record HeaderChange(Kind kind, String name, String value, int index) {
    public enum Kind { ADD, REMOVE, SET }

    public HeaderChange {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("header name is required");
        }
        if (kind == Kind.SET && index < 1) {
            throw new IllegalArgumentException("SET addresses an instance from 1: " + index);
        }
        if (kind == Kind.ADD && index < -1) {
            throw new IllegalArgumentException("ADD position is -1 (append) or >= 0: " + index);
        }
    }

    /** Appends the header at the end of the header block. */
    public static HeaderChange add(String name, String value) {
        return new HeaderChange(Kind.ADD, name, value, -1);
    }

    /** Inserts the header before the {@code position}-th field (0 = at the top, where trace headers go). */
    public static HeaderChange insert(String name, String value, int position) {
        return new HeaderChange(Kind.ADD, name, value, position);
    }

    /** Removes every instance of the header. */
    public static HeaderChange removeAll(String name) {
        return new HeaderChange(Kind.REMOVE, name, null, 0);
    }

    /** Removes one instance: n-th from 1, or from the end when negative (-1 = the last). */
    public static HeaderChange remove(String name, int instance) {
        if (instance == 0) {
            throw new IllegalArgumentException("instance 0 would mean every instance: use removeAll");
        }
        return new HeaderChange(Kind.REMOVE, name, null, instance);
    }

    /** Replaces the first instance in place, or appends the header when there is none. */
    public static HeaderChange set(String name, String value) {
        return new HeaderChange(Kind.SET, name, value, 1);
    }
}

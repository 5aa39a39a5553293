package org.mailsift.core.scan;

/**
 * One header edit the MTA should make, in Rspamd's milter block terms.
 *
 * @param kind  ADD (append at the end, or insert at {@code index} when index &gt;= 0), REMOVE (delete instance {@code index},
 *              1-based; 0 = every instance), SET (replace instance {@code index}, 1-based; adds when missing)
 * @param name  header name
 * @param value header value (unfolded or already folded with CRLF + whitespace); null for REMOVE
 * @param index see kind
 */
public record HeaderChange(Kind kind, String name, String value, int index) {
    public enum Kind { ADD, REMOVE, SET }

    public static HeaderChange add(String name, String value) {
        return new HeaderChange(Kind.ADD, name, value, -1);
    }

    public static HeaderChange removeAll(String name) {
        return new HeaderChange(Kind.REMOVE, name, null, 0);
    }

    public static HeaderChange set(String name, String value) {
        return new HeaderChange(Kind.SET, name, value, 1);
    }
}

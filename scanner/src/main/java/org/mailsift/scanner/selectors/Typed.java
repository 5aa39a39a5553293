package org.mailsift.scanner.selectors;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A value in a selector's pipeline with Rspamd's type tag: {@code string}, {@code table} (an address, a Received
 * header, a symbol: a map of fields), {@code userdata} (an object with methods: a URL, an IP address) or a list of one
 * of them ({@code string_list}, ...). Lists are Java lists of the element values.
 */
record Typed(Object value, String type) {

    static Typed string(String s) {
        return s == null ? null : new Typed(s, "string");
    }

    static Typed strings(List<String> list) {
        return list == null || list.isEmpty() ? null : new Typed(List.copyOf(list), "string_list");
    }

    boolean isList() {
        return type.endsWith("_list");
    }

    /** "string" for "string_list", null for a non-list type. */
    String pureType() {
        return pureType(type);
    }

    static String pureType(String type) {
        return type.endsWith("_list") ? type.substring(0, type.length() - "_list".length()) : null;
    }

    @SuppressWarnings("unchecked")
    List<Object> list() {
        return (List<Object>) value;
    }

    /**
     * Rspamd's implicit conversion to a string: a table gives its {@code value} or {@code addr} field, an object
     * its text form.
     */
    static String implicitString(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Map<?, ?> table) {
            Object value = table.get("value");
            if (value == null) {
                value = table.get("addr");
            }
            if (value == null) {
                value = table.get("name");
            }
            return value == null ? table.toString() : value.toString();
        }
        return v.toString();
    }

    /** The final value as strings: a string is one element, a list each of its elements, nils left out. */
    List<String> strings() {
        List<String> out = new ArrayList<>();
        if (isList()) {
            for (Object o : list()) {
                String s = implicitString(o);
                if (s != null) {
                    out.add(s);
                }
            }
        } else {
            String s = implicitString(value);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }
}

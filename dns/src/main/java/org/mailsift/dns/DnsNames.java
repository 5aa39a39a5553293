package org.mailsift.dns;

/** Syntax of a query name (RFC 1035 §2.3.4): at most 253 characters, labels of 1-63 printable ASCII characters. */
final class DnsNames {
    private DnsNames() {
    }

    static boolean isValid(String name) {
        if (name.isEmpty() || name.length() > 253) {
            return false;
        }
        int label = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '.') {
                if (label == 0) {
                    return false;
                }
                label = 0;
            } else {
                if (c <= ' ' || c >= 0x7f || ++label > 63) {
                    return false;
                }
            }
        }
        return label > 0;
    }
}

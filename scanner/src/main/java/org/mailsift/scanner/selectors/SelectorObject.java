package org.mailsift.scanner.selectors;

import java.util.List;

/**
 * A selector value with methods, as Rspamd's userdata (a URL, an IP address): {@code urls:get_host} or
 * {@code urls('get_tld')} call {@link #call}. {@link #toString()} is the implicit string form.
 */
interface SelectorObject {
    /**
     * @return a String, a List of Strings, another value, or null (nil) when the method gives nothing
     * @throws IllegalArgumentException when the object has no such method
     */
    Object call(String method, List<String> args);
}

package org.mailsift.milter;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/** Where the milter listens: a TCP host:port or a unix socket path, written as Rspamd's {@code bind_socket}. */
public sealed interface BindAddress {

    SocketAddress socketAddress();

    record Tcp(String host, int port) implements BindAddress {
        @Override
        public SocketAddress socketAddress() {
            return "*".equals(host) ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
        }

        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** @param mode the socket file's permission bits ({@code mode=0660} after the path; 0660 when not given) */
    record Unix(Path path, int mode) implements BindAddress {
        public static final int DEFAULT_MODE = 0660;

        public Unix {
            if (mode < 0 || mode > 0777) {
                throw new IllegalArgumentException("socket mode " + Integer.toOctalString(mode) + " is not between 0 and 0777");
            }
        }

        public Unix(Path path) {
            this(path, DEFAULT_MODE);
        }

        @Override
        public SocketAddress socketAddress() {
            return UnixDomainSocketAddress.of(path);
        }

        @Override
        public String toString() {
            return "unix:" + path;
        }
    }

    /**
     * Parses "127.0.0.1:11332", "localhost:11332", "*:11332", "[::1]:11332", "/run/x.sock", "unix:/run/x.sock".
     * After a socket path, Rspamd's {@code mode=0660} sets the socket's permissions (default 0660: the MTA's group
     * may connect, other local users may not); Rspamd's {@code owner=} and {@code group=} are left to the directory.
     */
    static BindAddress parse(String text) {
        String s = text.trim();
        String[] words = s.split("\\s+");
        s = words[0];
        if (s.startsWith("unix:")) {
            s = s.substring(5);
        }
        if (s.startsWith("/") || s.startsWith("./")) {
            int mode = Unix.DEFAULT_MODE;
            for (int i = 1; i < words.length; i++) {
                if (words[i].startsWith("mode=")) {
                    try {
                        mode = Integer.parseInt(words[i].substring(5), 8);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("bad socket mode in \"" + text + "\" (expected octal, e.g. mode=0660)");
                    }
                }
            }
            return new Unix(Path.of(s), mode);
        }
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException("expected host:port or a socket path, found \"" + text + "\"");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in \"" + text + "\"");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range in \"" + text + "\"");
        }
        return new Tcp(host, port);
    }
}

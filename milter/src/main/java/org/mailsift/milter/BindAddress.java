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

    record Unix(Path path) implements BindAddress {
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
     * Rspamd's socket options after the path ("/run/x.sock mode=0660") are ignored.
     */
    static BindAddress parse(String text) {
        String s = text.trim();
        int space = s.indexOf(' ');
        if (space > 0) {
            s = s.substring(0, space);
        }
        if (s.startsWith("unix:")) {
            s = s.substring(5);
        }
        if (s.startsWith("/") || s.startsWith("./")) {
            return new Unix(Path.of(s));
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

package org.mailsift.core.config;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One listening address written as Rspamd's {@code bind_socket}, the one reading of that option for every listener
 * (the milter's worker-proxy, the HTTP workers' worker-normal and worker-controller).
 *
 * @param address  where to listen
 * @param text     as written in the configuration (for logs and errors)
 * @param unixMode permission bits for a unix socket ({@code mode=0660}), or -1 when not given (TCP: always -1)
 */
public record BindSocket(SocketAddress address, String text, int unixMode) {
    public static final String OPTION = "bind_socket";

    public static BindSocket tcp(String host, int port) {
        return new BindSocket(new InetSocketAddress(host, port), host + ":" + port, -1);
    }

    public static BindSocket unix(Path path) {
        return new BindSocket(UnixDomainSocketAddress.of(path), path.toString(), -1);
    }

    public boolean isUnix() {
        return address instanceof UnixDomainSocketAddress;
    }

    /** The socket file of a unix socket. */
    public Path path() {
        return ((UnixDomainSocketAddress) address).getPath();
    }

    /** The permissions {@code mode=} asks for a unix socket, or empty when none was given. */
    public java.util.Optional<java.util.Set<java.nio.file.attribute.PosixFilePermission>> permissions() {
        if (unixMode < 0) {
            return java.util.Optional.empty();
        }
        StringBuilder sb = new StringBuilder(9);
        for (int shift = 6; shift >= 0; shift -= 3) {
            int bits = unixMode >> shift;
            sb.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-').append((bits & 1) != 0 ? 'x' : '-');
        }
        return java.util.Optional.of(java.nio.file.attribute.PosixFilePermissions.fromString(sb.toString()));
    }

    @Override
    public String toString() {
        return isUnix() ? "unix:" + path() : text;
    }

    /**
     * Rspamd's bind_socket forms: "127.0.0.1:11334", "[::1]:11334", "*:11334" (every address), "localhost:11334"
     * (both loopbacks, as Rspamd binds them), "/run/mailsift/x.sock mode=0660", "unix:/run/x.sock", "./x.sock".
     *
     * @throws IllegalArgumentException with a message naming the text
     */
    public static List<BindSocket> parse(String text) {
        String t = text.trim();
        if (t.startsWith("systemd:")) {
            throw new IllegalArgumentException("bind_socket \"" + t + "\": systemd socket activation is not supported");
        }
        String[] words = t.split("\\s+");
        String where = words[0].startsWith("unix:") ? words[0].substring(5) : words[0];
        if (where.startsWith("/") || where.startsWith("./")) {
            int mode = -1;
            for (int i = 1; i < words.length; i++) {
                if (words[i].startsWith("mode=")) {
                    try {
                        mode = Integer.parseInt(words[i].substring(5), 8);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("bind_socket \"" + t + "\": mode must be octal, like 0660");
                    }
                }
            }
            return List.of(new BindSocket(UnixDomainSocketAddress.of(Path.of(where)), t, mode));
        }
        int colon = where.lastIndexOf(':');
        if (colon < 0 || colon == where.length() - 1 || (where.startsWith("[") && !where.contains("]:"))) {
            throw new IllegalArgumentException("bind_socket \"" + t + "\" needs host:port or a socket path");
        }
        String host = where.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(where.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bind_socket \"" + t + "\": bad port");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("bind_socket \"" + t + "\": port out of range");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return switch (host) {
            case "*", "" -> List.of(new BindSocket(new InetSocketAddress(port), t, -1));
            case "localhost" -> List.of(new BindSocket(new InetSocketAddress("127.0.0.1", port), t, -1),
                    new BindSocket(new InetSocketAddress("::1", port), t, -1));
            default -> List.of(new BindSocket(new InetSocketAddress(host, port), t, -1));
        };
    }

    /** Every {@code bind_socket} of {@code section} (the option may repeat), or {@code defaults} when there is none. */
    public static List<BindSocket> read(UclObject section, List<BindSocket> defaults) {
        if (!section.has(OPTION)) {
            return defaults;
        }
        List<BindSocket> out = new ArrayList<>();
        for (UclValue v : section.getList(OPTION)) {
            if (!(v instanceof UclScalar s) || s.asString() == null) {
                throw new ConfigException(v.position(), OPTION + ": expected a string");
            }
            try {
                out.addAll(parse(s.asString()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(v.position(), e.getMessage());
            }
        }
        return List.copyOf(out);
    }
}

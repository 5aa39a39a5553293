package org.mailsift.netty;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.mailsift.core.config.BindSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * Binding one {@link BindSocket} on netty's NIO transport, the same way for every listener: TCP with SO_REUSEADDR and
 * TCP_NODELAY, or a unix socket (java.net.UnixDomainSocketAddress, no native library) with a stale socket file removed
 * first and the file's mode from {@code mode=} (or the listener's default); and closing it again, the file unlinked.
 */
public final class Listeners {
    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    private Listeners() {
    }

    /**
     * @param bootstrap the listener's bootstrap, group and child handler set (and any options of its own)
     * @param unixDefault the unix socket's permissions when bind_socket has no mode= (empty: the umask decides)
     * @return the bound listening channel (its local address has the real port when 0 was asked for)
     * @throws IOException naming the address when it cannot be bound
     */
    public static Channel bind(ServerBootstrap bootstrap, BindSocket address, Optional<Set<PosixFilePermission>> unixDefault)
            throws IOException, InterruptedException {
        if (address.isUnix()) {
            Files.deleteIfExists(address.path()); // a stale socket from a previous run would make bind fail
            bootstrap.channel(NioServerDomainSocketChannel.class);
        } else {
            bootstrap.channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true);
        }
        ChannelFuture future = bootstrap.bind(address.address()).await();
        if (!future.isSuccess()) {
            throw new IOException("cannot listen on " + address + ": " + future.cause().getMessage(), future.cause());
        }
        if (address.isUnix()) {
            Optional<Set<PosixFilePermission>> mode = address.permissions().or(() -> unixDefault);
            if (mode.isPresent()) {
                Files.setPosixFilePermissions(address.path(), mode.get());
            }
        }
        return future.channel();
    }

    /** Closes a listening channel (open connections stay: drain them) and removes its unix socket file. */
    public static void close(Channel listener) {
        var local = listener.localAddress();
        listener.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (local instanceof UnixDomainSocketAddress unix) {
            try {
                Files.deleteIfExists(unix.getPath());
            } catch (IOException e) {
                LOG.debug("cannot remove {}: {}", unix.getPath(), e.toString());
            }
        }
    }
}

package org.mailsift.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.config.BindSocket;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

class ListenersTest {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private ServerBootstrap bootstrap() {
        return new ServerBootstrap().group(group).childHandler(new ChannelInboundHandlerAdapter());
    }

    @Test
    void aTcpListenerGetsItsRealPortAndAcceptsConnections() throws Exception {
        Channel listener = Listeners.bind(bootstrap(), BindSocket.tcp("127.0.0.1", 0), Optional.empty());
        int port = ((InetSocketAddress) listener.localAddress()).getPort();
        assertThat(port).isPositive();
        try (SocketChannel client = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
            assertThat(client.isConnected()).isTrue();
        }
        Listeners.close(listener);
        assertThat(listener.isOpen()).isFalse();
    }

    @Test
    void aUnixSocketReplacesAStaleFileTakesTheListenersModeAndIsRemovedAtClose(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("milter.sock");
        Files.writeString(socket, "left over by a crash");

        Channel listener = Listeners.bind(bootstrap(), BindSocket.unix(socket),
                Optional.of(PosixFilePermissions.fromString("rw-rw----")));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-rw----");
        try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            assertThat(client.isConnected()).isTrue();
        }
        Listeners.close(listener);
        assertThat(socket).doesNotExist();
    }

    @Test
    void modeInBindSocketWinsOverTheListenersDefault(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("worker.sock");
        BindSocket withMode = BindSocket.parse(socket + " mode=0600").get(0);

        Channel listener = Listeners.bind(bootstrap(), withMode, Optional.of(PosixFilePermissions.fromString("rw-rw-rw-")));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
        Listeners.close(listener);
    }

    @Test
    void anAddressInUseIsAnErrorNamingIt() throws Exception {
        Channel first = Listeners.bind(bootstrap(), BindSocket.tcp("127.0.0.1", 0), Optional.empty());
        int port = ((InetSocketAddress) first.localAddress()).getPort();
        try {
            assertThatThrownBy(() -> Listeners.bind(new ServerBootstrap().group(group)
                    .childHandler(new ChannelInboundHandlerAdapter()), BindSocket.tcp("127.0.0.1", port), Optional.empty()))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("cannot listen on 127.0.0.1:" + port);
        } finally {
            Listeners.close(first);
        }
    }
}

package org.mailsift.milter.server;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import jdk.net.ExtendedSocketOptions;
import org.mailsift.core.metrics.Metrics;
import org.mailsift.core.net.ConnectionCaps;
import org.mailsift.core.scan.MessageScanner;
import org.mailsift.core.config.BindSocket;
import org.mailsift.milter.MilterSettings;
import org.mailsift.milter.codec.MilterCommandDecoder;
import org.mailsift.milter.codec.MilterFrameDecoder;
import org.mailsift.milter.codec.MilterProtocol;
import org.mailsift.milter.codec.MilterReplyEncoder;
import org.mailsift.netty.CappedAccept;
import org.mailsift.netty.ConnectionDrain;
import org.mailsift.netty.Listeners;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The milter listener: TCP and unix sockets on netty's NIO transport, one {@link MilterConnectionHandler} per
 * connection.
 *
 * <p>Latency: we ask for every no-reply flag, so the MTA writes CONNECT, HELO, MAIL, ... headers and body chunks one
 * after another without waiting for us. Those are small writes from an MTA that does not disable Nagle, so each one
 * after the first waits until we acknowledge the previous one, and with nothing to send, Linux delays that ACK by
 * about 40 ms (measured with strace; see the issue). TCP_QUICKACK, set again after every read because Linux clears
 * it, makes us acknowledge at once, which removes that floor without adding a reply round trip per step.
 */
public final class MilterServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MilterServer.class);

    /** Postfix sends body chunks of at most 64 KiB; Sendmail with SMFIP_MDS_256K up to 256 KiB (never negotiated). */
    static final int MAX_PACKET = 256 * 1024 + 1;

    /** Linux's TCP_QUICKACK, or null where the runtime lacks it (no jdk.net module, another OS): then Nagle's delay stays. */
    private static final SocketOption<Boolean> QUICKACK = quickAckOption();

    private volatile MilterSettings settings;
    private final MilterMetrics metrics;
    private final ScanRunner scans;
    private final int noReplyWanted;
    private final MilterReplyEncoder encoder = new MilterReplyEncoder();
    private final List<Channel> listeners = new ArrayList<>();
    private final List<SocketAddress> bound = new ArrayList<>();
    /** A connection in a message (or its scan) is busy: SIGTERM lets it get its verdict. */
    private final ConnectionDrain drain = new ConnectionDrain(ch -> {
        MilterConnectionHandler milter = ch.pipeline().get(MilterConnectionHandler.class);
        return milter != null && milter.inMessage();
    });
    private final CappedAccept accept;
    private EventLoopGroup group;

    public MilterServer(MilterSettings settings, MessageScanner scanner, Metrics metrics) {
        this(settings, scanner, metrics, MilterProtocol.PROTO_ALL_NO_REPLY);
    }

    /** @param noReplyWanted the no-reply flags to negotiate (tests and the benchmark compare policies) */
    public MilterServer(MilterSettings settings, MessageScanner scanner, Metrics metrics, int noReplyWanted) {
        this.settings = settings;
        this.metrics = new MilterMetrics(metrics);
        this.scans = new ScanRunner(scanner, settings.maxConcurrentScans());
        this.noReplyWanted = noReplyWanted;
        this.accept = new CappedAccept(new ConnectionCaps(settings.limits().maxConnections(),
                settings.limits().maxConnectionsPerIp()), "milter", this.metrics::refused);
    }

    /** Binds every configured socket; returns the bound addresses (a port 0 becomes the real port). */
    public synchronized List<SocketAddress> start() throws IOException, InterruptedException {
        group = new MultiThreadIoEventLoopGroup(Math.max(1, Runtime.getRuntime().availableProcessors()), NioIoHandler.newFactory());
        try {
            for (BindSocket address : settings.bindSockets()) {
                Channel ch = bind(address);
                listeners.add(ch);
                bound.add(ch.localAddress());
                log.info("milter listening on {}", address.isUnix() ? address : ch.localAddress());
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
        return List.copyOf(bound);
    }

    /** Where the server listens (empty before start and after close). */
    public synchronized List<SocketAddress> boundAddresses() {
        return List.copyOf(bound);
    }

    /** A milter socket without mode=: 0660, the MTA's group may connect, other local users may not. */
    private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> DEFAULT_SOCKET_PERMISSIONS =
            PosixFilePermissions.fromString("rw-rw----");

    private Channel bind(BindSocket address) throws IOException, InterruptedException {
        ServerBootstrap b = new ServerBootstrap().group(group).childHandler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                if (!accept.admit(ch)) {
                    return;
                }
                Runnable afterRead = quickAck(ch);
                ch.pipeline().addLast(
                        new PacketDeadline(settings.limits().packetTimeout().toMillis()),
                        drain,
                        new IdleStateHandler(settings.readTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS),
                        new MilterFrameDecoder(MAX_PACKET),
                        new MilterCommandDecoder(),
                        new ContentDeadline(settings.limits().contentRate()),
                        encoder,
                        new MilterConnectionHandler(settings, scans, metrics, noReplyWanted, afterRead));
            }
        });
        // the MTA runs as another user in the daemon's group (Debian: postfix in group mailsift); others may not
        // connect unless bind_socket's mode= says so
        return Listeners.bind(b, address, Optional.of(DEFAULT_SOCKET_PERMISSIONS));
    }

    /**
     * SIGHUP: reply texts, timeouts, max_size... for the connections opened from now on (open ones finish with what
     * they started with). A changed bind_socket is refused (the reload fails: listening elsewhere needs a restart);
     * a changed max_scans is logged and waits for the next start (the scan pool is sized once).
     */
    public void reload(MilterSettings fresh) {
        if (!fresh.bindSockets().equals(settings.bindSockets())) {
            throw new IllegalArgumentException("bind_socket changed: restart mailsift to listen elsewhere");
        }
        if (fresh.maxConcurrentScans() != settings.maxConcurrentScans()) {
            log.warn("max_scans changed from {} to {}: it applies after a restart", settings.maxConcurrentScans(),
                    fresh.maxConcurrentScans());
        }
        settings = fresh;
    }

    private Runnable quickAck(Channel ch) {
        if (!settings.tcpQuickAck() || QUICKACK == null || !(ch instanceof NioSocketChannel tcp)) {
            return () -> { };
        }
        var option = NioChannelOption.of(QUICKACK);
        return () -> {
            if (tcp.isActive()) {
                try {
                    tcp.config().setOption(option, Boolean.TRUE);
                } catch (ChannelException e) {
                    // closed between the check and the call: nothing left to acknowledge
                }
            }
        };
    }

    private static SocketOption<Boolean> quickAckOption() {
        try {
            SocketOption<Boolean> option = ExtendedSocketOptions.TCP_QUICKACK;
            try (java.nio.channels.SocketChannel probe = java.nio.channels.SocketChannel.open()) {
                if (probe.supportedOptions().contains(option)) {
                    return option;
                }
            }
            log.warn("TCP_QUICKACK is not supported here: milter replies may wait ~40 ms on delayed ACKs");
        } catch (LinkageError | IOException e) {
            log.warn("TCP_QUICKACK unavailable ({}): milter replies may wait ~40 ms on delayed ACKs; "
                    + "the Java runtime needs the jdk.net module", e.toString());
        }
        return null;
    }

    @Override
    public synchronized void close() {
        listeners.forEach(Listeners::close);
        listeners.clear();
        bound.clear();
        drain.drain(java.time.Duration.ofSeconds(10)); // messages already received get their verdict (SIGTERM)
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
            group = null;
        }
        scans.close();
    }
}

package org.mailsift.controller.http;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateHandler;

import org.mailsift.controller.WorkerSettings;
import org.mailsift.core.config.BindSocket;
import org.mailsift.controller.api.Router;
import org.mailsift.core.net.ByteBudget;
import org.mailsift.core.net.ConnectionCaps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Rspamd-style HTTP worker (normal or controller) on netty: codec, body limit (413), idle timeout, and the
 * router. Binds every configured address, TCP or unix socket.
 */
public final class HttpWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpWorker.class);

    private final WorkerSettings settings;
    private final Router router;
    private final Executor executor;
    private final EventLoopGroup group;
    private final Runnable onConnection;
    private final List<Channel> channels = new ArrayList<>();
    private final List<SocketAddress> bound = new ArrayList<>();
    private final ConnectionDrain drain = new ConnectionDrain();
    private final ConnectionCaps caps;
    private final ByteBudget inflight;

    public HttpWorker(WorkerSettings settings, Router router, Executor executor, EventLoopGroup group, Runnable onConnection) {
        this.settings = settings;
        this.router = router;
        this.executor = executor;
        this.group = group;
        this.onConnection = onConnection;
        this.caps = new ConnectionCaps(settings.guards().maxConnections(), settings.guards().maxConnectionsPerIp());
        this.inflight = new ByteBudget(settings.guards().maxInflightBytes());
    }

    public void start() throws IOException, InterruptedException {
        for (BindSocket b : settings.binds()) {
            try {
                bind(b);
            } catch (Exception e) {
                close();
                throw new IOException("worker " + settings.name() + ": cannot listen on " + b.text() + ": " + e.getMessage(), e);
            }
        }
    }

    private void bind(BindSocket b) throws IOException, InterruptedException {
        Class<? extends ServerChannel> type = b.isUnix() ? NioServerDomainSocketChannel.class : NioServerSocketChannel.class;
        if (b.isUnix()) {
            Files.deleteIfExists(b.path());
        }
        ServerBootstrap sb = new ServerBootstrap().group(group).channel(type)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (!admitted(ch)) {
                            return;
                        }
                        onConnection.run();
                        ChannelPipeline p = ch.pipeline();
                        RequestLifecycle lifecycle = new RequestLifecycle(inflight, settings.maxBodyBytes(),
                                settings.guards().headerTimeoutMillis());
                        p.addLast(drain);
                        p.addLast(new IdleStateHandler(0, 0, settings.idleTimeoutMillis(), TimeUnit.MILLISECONDS));
                        p.addLast(lifecycle.firstByteWatch());
                        p.addLast(new HttpServerCodec());
                        p.addLast(lifecycle);
                        p.addLast(new LimitedAggregator((int) Math.min(Integer.MAX_VALUE, settings.maxBodyBytes())));
                        p.addLast(new ApiChannelHandler(router, executor));
                    }
                });
        if (!b.isUnix()) {
            sb.option(ChannelOption.SO_REUSEADDR, true).option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true);
        }
        Channel ch = sb.bind(b.address()).sync().channel();
        if (b.isUnix() && b.unixMode() >= 0) {
            Files.setPosixFilePermissions(b.path(), b.permissions().orElseThrow());
        }
        channels.add(ch);
        bound.add(ch.localAddress());
        LOG.info("{} worker listening on {}", settings.name(), ch.localAddress());
    }

    /** max_connections and max_connections_per_ip: a connection over a cap is closed before a byte is read. */
    private boolean admitted(Channel ch) {
        String peer = ch.remoteAddress() instanceof java.net.InetSocketAddress inet ? inet.getAddress().getHostAddress() : null;
        ConnectionCaps.Admission admission = caps.admit(peer);
        if (admission == null) {
            long refused = caps.refusalsToLog();
            if (refused > 0) {
                LOG.warn("{} worker refused {} connection(s) over max_connections ({}) or max_connections_per_ip ({}), latest from {}",
                        settings.name(), refused, caps.maxTotal(), caps.maxPerPeer(), peer == null ? "a unix socket" : peer);
            }
            ch.close();
            return false;
        }
        ch.closeFuture().addListener(f -> admission.release());
        return true;
    }

    /** Request bytes held now by this worker's connections (for tests and /metrics). */
    public long inflightBytes() {
        return inflight.used();
    }

    /** The addresses actually bound (ports resolved when 0 was asked for). */
    public List<SocketAddress> boundAddresses() {
        return List.copyOf(bound);
    }

    @Override
    public void close() {
        for (Channel ch : channels) {
            ch.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            if (ch.localAddress() instanceof UnixDomainSocketAddress u) {
                try {
                    Files.deleteIfExists(u.getPath());
                } catch (IOException e) {
                    LOG.debug("cannot remove {}: {}", u.getPath(), e.toString());
                }
            }
        }
        channels.clear();
        drain.drain(java.time.Duration.ofSeconds(5)); // requests already accepted get their answer (SIGTERM)
    }

    /** The aggregator's 413, with Rspamd's JSON error body instead of an empty one. */
    private static final class LimitedAggregator extends HttpObjectAggregator {
        private final int max;

        LimitedAggregator(int max) {
            super(max);
            this.max = max;
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            String message = "Request body is larger than " + max + " bytes";
            byte[] body = ("{\"error\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    new HttpResponseStatus(413, message), Unpooled.wrappedBuffer(body));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }
}

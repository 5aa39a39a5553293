package org.mailsift.controller.http;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
import org.mailsift.netty.CappedAccept;
import org.mailsift.netty.ConnectionDrain;
import org.mailsift.netty.Listeners;
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
    /** A connection whose request is arriving or being served is busy: SIGTERM lets it get its answer. */
    private final ConnectionDrain drain = new ConnectionDrain(ch -> {
        ApiChannelHandler api = ch.pipeline().get(ApiChannelHandler.class);
        RequestLifecycle lifecycle = ch.pipeline().get(RequestLifecycle.class);
        return api != null && api.busy() || lifecycle != null && lifecycle.requestUnderWay();
    });
    private final CappedAccept accept;
    private final ByteBudget inflight;

    public HttpWorker(WorkerSettings settings, Router router, Executor executor, EventLoopGroup group, Runnable onConnection) {
        this.settings = settings;
        this.router = router;
        this.executor = executor;
        this.group = group;
        this.onConnection = onConnection;
        this.accept = new CappedAccept(new ConnectionCaps(settings.guards().maxConnections(),
                settings.guards().maxConnectionsPerIp()), settings.name() + " worker", () -> { });
        this.inflight = new ByteBudget(settings.guards().maxInflightBytes());
    }

    public void start() throws IOException, InterruptedException {
        for (BindSocket b : settings.binds()) {
            try {
                bind(b);
            } catch (Exception e) {
                close();
                throw new IOException("worker " + settings.name() + ": " + e.getMessage(), e);
            }
        }
    }

    private void bind(BindSocket b) throws IOException, InterruptedException {
        ServerBootstrap sb = new ServerBootstrap().group(group)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (!accept.admit(ch)) {
                            return;
                        }
                        onConnection.run();
                        ChannelPipeline p = ch.pipeline();
                        RequestLifecycle lifecycle = new RequestLifecycle(inflight, settings.maxBodyBytes(),
                                settings.guards().headerTimeoutMillis(), settings.guards().bodyRate());
                        p.addLast(drain);
                        p.addLast(new IdleStateHandler(0, 0, settings.idleTimeoutMillis(), TimeUnit.MILLISECONDS));
                        p.addLast(lifecycle.firstByteWatch());
                        p.addLast(new HttpServerCodec());
                        p.addLast(lifecycle);
                        p.addLast(new LimitedAggregator((int) Math.min(Integer.MAX_VALUE, settings.maxBodyBytes())));
                        p.addLast(new ApiChannelHandler(router, executor));
                    }
                });
        Channel ch = Listeners.bind(sb, b, Optional.empty());
        channels.add(ch);
        bound.add(ch.localAddress());
        LOG.info("{} worker listening on {}", settings.name(), ch.localAddress());
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
        channels.forEach(Listeners::close);
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

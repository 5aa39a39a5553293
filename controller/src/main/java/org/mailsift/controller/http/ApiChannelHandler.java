package org.mailsift.controller.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;

import org.mailsift.controller.api.ApiRequest;
import org.mailsift.controller.api.ApiResponse;
import org.mailsift.controller.api.BodyBudget;
import org.mailsift.controller.api.RequestHeaders;
import org.mailsift.controller.api.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one aggregated HTTP request into an {@link ApiRequest}, runs the router off the event loop (scans and learns
 * block), and writes the reply. Reading pauses while a request is in flight, so a connection has one request at a
 * time and a slow consumer cannot queue unbounded work.
 */
final class ApiChannelHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(ApiChannelHandler.class);

    private final Router router;
    private final Executor executor;
    private volatile boolean busy;
    /** This connection's unix peer ("" when none or unknown), read once. */
    private String unixPeer;

    ApiChannelHandler(Router router, Executor executor) {
        this.router = router;
        this.executor = executor;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
        boolean keepAlive = HttpUtil.isKeepAlive(msg);
        if (msg.decoderResult().isFailure()) {
            write(ctx, ApiResponse.error(400, "Bad HTTP request: " + msg.decoderResult().cause().getMessage()), false);
            return;
        }
        RequestLifecycle lifecycle = ctx.pipeline().get(RequestLifecycle.class);
        ApiRequest request = toApiRequest(ctx.channel().remoteAddress(), msg, lifecycle == null ? BodyBudget.UNLIMITED : lifecycle,
                unixPeer(ctx.channel()));
        busy = true;
        ctx.channel().config().setAutoRead(false);
        try {
            executor.execute(() -> {
                ApiResponse response;
                try {
                    response = router.dispatch(request);
                } catch (Throwable t) { // an Error past the router (e.g. a class missing): answer, never leave the client hanging
                    LOG.error("{} /{} failed", request.method(), request.path(), t);
                    response = ApiResponse.error(500, "Internal error: " + t.getClass().getSimpleName());
                }
                write(ctx, response, keepAlive);
            });
        } catch (RejectedExecutionException e) {
            write(ctx, ApiResponse.error(503, "Server is shutting down"), false);
        }
    }

    static ApiRequest toApiRequest(SocketAddress remote, FullHttpRequest msg) {
        return toApiRequest(remote, msg, BodyBudget.UNLIMITED, null);
    }

    /**
     * A unix-socket peer's user and group as the kernel vouches for them (SO_PEERCRED, read through the JDK's
     * ExtendedSocketOptions on netty's NIO domain socket channel; no native transport needed), once per connection;
     * null for TCP or where the platform has no peer credentials.
     */
    private String unixPeer(io.netty.channel.Channel ch) {
        if (!(ch instanceof io.netty.channel.socket.DuplexChannel) || ch.remoteAddress() instanceof InetSocketAddress) {
            return null;
        }
        if (unixPeer == null) {
            try {
                Object cred = ch.config().getOption(io.netty.channel.socket.nio.NioChannelOption.of(jdk.net.ExtendedSocketOptions.SO_PEERCRED));
                if (cred instanceof jdk.net.UnixDomainPrincipal u) {
                    unixPeer = "user=" + u.user().getName() + " group=" + u.group().getName();
                } else {
                    unixPeer = "";
                }
            } catch (RuntimeException | LinkageError unsupported) {
                unixPeer = "";
            }
        }
        return unixPeer.isEmpty() ? null : unixPeer;
    }

    static ApiRequest toApiRequest(SocketAddress remote, FullHttpRequest msg, BodyBudget budget, String unixPeer) {
        RequestHeaders headers = new RequestHeaders();
        for (Map.Entry<String, String> h : msg.headers()) {
            headers.add(h.getKey(), h.getValue());
        }
        QueryStringDecoder q = new QueryStringDecoder(msg.uri(), StandardCharsets.UTF_8);
        for (Map.Entry<String, List<String>> p : q.parameters().entrySet()) {
            for (String v : p.getValue()) {
                headers.add(p.getKey(), v);
            }
        }
        byte[] body = ByteBufUtil.getBytes(msg.content());
        InetAddress peer = remote instanceof InetSocketAddress isa ? isa.getAddress() : null;
        return new ApiRequest(msg.method().name(), ApiRequest.normalisePath(msg.uri()), headers, body, peer, budget, unixPeer);
    }

    private void write(ChannelHandlerContext ctx, ApiResponse r, boolean keepAlive) {
        FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                new HttpResponseStatus(r.status(), r.reason()), Unpooled.wrappedBuffer(r.body()));
        if (r.contentType() != null) {
            resp.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        }
        resp.headers().set(HttpHeaderNames.SERVER, "mailsift");
        r.headers().forEach((name, value) -> resp.headers().set(name, value));
        if (r.status() != 204 && r.status() != 304) {
            resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
        }
        boolean keep = keepAlive && r.status() < 500;
        resp.headers().set(HttpHeaderNames.CONNECTION, keep ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(resp).addListener((ChannelFutureListener) f -> {
            busy = false;
            if (!keep || !f.isSuccess()) {
                ctx.close();
            } else {
                ctx.channel().config().setAutoRead(true);
                ctx.read();
            }
        });
    }

    /** A request is being handled: its reply is not written yet (see {@link org.mailsift.netty.ConnectionDrain}). */
    boolean busy() {
        return busy;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            if (!busy) {
                ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("HTTP connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}

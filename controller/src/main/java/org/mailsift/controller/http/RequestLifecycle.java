package org.mailsift.controller.http;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import org.mailsift.controller.api.BodyBudget;
import org.mailsift.core.net.ByteBudget;
import org.mailsift.core.net.MinimumDataRate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP connection's request, from its first byte to its response:
 * <ul>
 * <li>the header deadline: the request line and headers must arrive within {@code header_timeout} of the connect or
 * of the request's first byte; a byte every few seconds resets the idle timeout but not this;</li>
 * <li>the body rate: once the headers are in, the body must arrive at {@link MinimumDataRate}'s pace
 * ({@code body_timeout}, {@code body_min_rate}); a trickled body gets 408 and the connection is closed, which frees
 * its in-flight reservation;</li>
 * <li>the in-flight budget: the body (its Content-Length up front, or each chunk) and anything decompressed from it
 * are drawn from the worker's {@link ByteBudget} until the response is written; a request that does not fit gets 503
 * and the connection is closed, so a few huge uploads cannot exhaust the heap.</li>
 * </ul>
 * Sits after the HTTP codec; {@link #firstByteWatch()} goes before it.
 */
final class RequestLifecycle extends ChannelDuplexHandler implements BodyBudget {
    private static final Logger LOG = LoggerFactory.getLogger(RequestLifecycle.class);

    private enum State { AWAITING_REQUEST, HEADERS, BODY, REFUSED }

    private final ByteBudget budget;
    private final long maxBodyBytes;
    private final long headerTimeoutMillis;
    private final MinimumDataRate bodyRate;
    private final AtomicLong held = new AtomicLong();
    private volatile State state = State.HEADERS; // the connect starts the first deadline
    private boolean lengthReserved;
    private ScheduledFuture<?> deadline;
    private long bodyStartNanos;
    private long bodyBytes;
    private ScheduledFuture<?> bodyCheck;

    RequestLifecycle(ByteBudget budget, long maxBodyBytes, long headerTimeoutMillis, MinimumDataRate bodyRate) {
        this.budget = budget;
        this.maxBodyBytes = maxBodyBytes;
        this.headerTimeoutMillis = headerTimeoutMillis;
        this.bodyRate = bodyRate;
    }

    /** Whether a request's headers are in and its response is not written yet (a graceful stop lets it finish). */
    boolean requestUnderWay() {
        return state == State.BODY;
    }

    /** The handler before the codec: a request's first byte starts its header deadline. */
    ChannelInboundHandlerAdapter firstByteWatch() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                if (state == State.AWAITING_REQUEST && msg instanceof ByteBuf b && b.isReadable()) {
                    state = State.HEADERS;
                    arm(ctx);
                }
                super.channelRead(ctx, msg);
            }
        };
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        arm(ctx);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (state == State.REFUSED) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest request) {
            disarm();
            state = State.BODY;
            bodyStartNanos = System.nanoTime();
            bodyBytes = 0;
            long length = HttpUtil.getContentLength(request, -1L);
            lengthReserved = length >= 0 && length <= maxBodyBytes; // a larger one gets the aggregator's 413
            if (lengthReserved && !tryGrow(length)) {
                refuse(ctx, msg);
                return;
            }
            scheduleBodyCheck(ctx, bodyRate.timeout().toNanos());
        } else if (msg instanceof HttpContent content && !lengthReserved && !tryGrow(content.content().readableBytes())) {
            refuse(ctx, msg);
            return;
        }
        if (msg instanceof HttpContent content) {
            bodyBytes += content.content().readableBytes();
            if (msg instanceof LastHttpContent) {
                cancelBodyCheck(); // the body is complete: how long the answer takes is no longer the client's doing
            }
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse) {
            // the request is answered: its bytes go back to the budget, and the next request's first byte arms anew
            promise = promise.unvoid();
            promise.addListener(f -> {
                releaseAll();
                if (state != State.REFUSED) {
                    state = State.AWAITING_REQUEST;
                    lengthReserved = false;
                }
            });
        }
        super.write(ctx, msg, promise);
    }

    /** Draws on the worker's budget for this request (body bytes, decompressed bytes). */
    @Override
    public boolean tryGrow(long bytes) {
        if (!budget.tryReserve(bytes)) {
            return false;
        }
        held.addAndGet(Math.max(0, bytes));
        return true;
    }

    private void refuse(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
        state = State.REFUSED;
        LOG.info("refusing a request from {}: {} request bytes in flight (limit {})", ctx.channel().remoteAddress(),
                budget.used(), budget.max());
        cancelBodyCheck();
        answerAndClose(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "Too many request bytes in flight; try again later", "1");
    }

    private static void answerAndClose(ChannelHandlerContext ctx, HttpResponseStatus status, String error, String retryAfter) {
        byte[] body = ("{\"error\":\"" + error + "\"}").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        if (retryAfter != null) {
            r.headers().set(HttpHeaderNames.RETRY_AFTER, retryAfter);
        }
        ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * Checks the body's pace when its current deadline comes (not at every read): still short of the bytes that would
     * earn more time -> 408, one log line, close; else the check moves to the new deadline.
     */
    private void scheduleBodyCheck(ChannelHandlerContext ctx, long delayNanos) {
        cancelBodyCheck();
        bodyCheck = ctx.executor().schedule(() -> {
            bodyCheck = null;
            if (state != State.BODY) {
                return;
            }
            long left = bodyRate.deadlineNanos(bodyStartNanos, bodyBytes) - System.nanoTime();
            if (left > 0) {
                scheduleBodyCheck(ctx, left);
                return;
            }
            state = State.REFUSED;
            LOG.info("closing HTTP connection from {}: request body too slow ({} bytes in {} ms; body_timeout {} ms, body_min_rate {} bytes/s)",
                    ctx.channel().remoteAddress(), bodyBytes, (System.nanoTime() - bodyStartNanos) / 1_000_000,
                    bodyRate.timeout().toMillis(), bodyRate.minBytesPerSecond());
            answerAndClose(ctx, HttpResponseStatus.REQUEST_TIMEOUT, "Request body too slow", null);
        }, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void cancelBodyCheck() {
        if (bodyCheck != null) {
            bodyCheck.cancel(false);
            bodyCheck = null;
        }
    }

    private void arm(ChannelHandlerContext ctx) {
        if (deadline == null) {
            deadline = ctx.executor().schedule(() -> {
                if (state == State.HEADERS) {
                    LOG.info("closing HTTP connection from {}: no complete request headers within {} ms (header_timeout)",
                            ctx.channel().remoteAddress(), headerTimeoutMillis);
                    ctx.close();
                }
            }, headerTimeoutMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void disarm() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    private void releaseAll() {
        budget.release(held.getAndSet(0));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        disarm();
        cancelBodyCheck();
        releaseAll();
        super.channelInactive(ctx);
    }
}

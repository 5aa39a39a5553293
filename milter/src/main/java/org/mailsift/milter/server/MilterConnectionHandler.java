package org.mailsift.milter.server;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.mailsift.core.scan.ScanResult;
import org.mailsift.milter.MilterSettings;
import org.mailsift.milter.codec.MilterCommand;
import org.mailsift.milter.codec.MilterReply;
import org.mailsift.milter.session.MessageToScan;
import org.mailsift.milter.session.MilterSession;
import org.mailsift.milter.session.SessionLimitException;
import org.mailsift.milter.session.SessionState;
import org.mailsift.milter.session.SessionStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge of one milter connection: feeds commands to its {@link MilterSession}, writes the replies, runs the scan at
 * end of message off the event loop with a timeout, and turns every failure into one log line plus either the
 * fallback answer (scan trouble) or closing this connection only (protocol trouble).
 */
final class MilterConnectionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(MilterConnectionHandler.class);

    private final MilterSettings settings;
    private final ScanRunner scans;
    private final MilterMetrics metrics;
    private final int noReplyWanted;
    private final Runnable afterRead;
    private MilterSession session;

    /** Identifies the scan whose answer is awaited; a result for any other id (aborted, timed out) is dropped. */
    private long pendingScan;
    private long scanCounter;
    private Future<?> scanFuture;
    private io.netty.util.concurrent.Future<?> scanTimer;

    /** A scan for this connection is running: its verdict is not sent yet (see {@link org.mailsift.netty.ConnectionDrain}). */
    boolean scanning() {
        return pendingScan != 0;
    }

    /**
     * The MTA is in a message (from MAIL to its verdict) or its scan is running: a graceful stop lets it get its
     * verdict rather than the MTA's milter_default_action.
     */
    boolean inMessage() {
        MilterSession s = session;
        return scanning() || s != null && IN_MESSAGE.contains(s.state());
    }

    private static final java.util.Set<SessionState> IN_MESSAGE = java.util.EnumSet.of(SessionState.MAIL_SEEN,
            SessionState.RCPT_SEEN, SessionState.DATA_SEEN, SessionState.HEADERS, SessionState.BODY,
            SessionState.AWAITING_VERDICT);

    MilterConnectionHandler(MilterSettings settings, ScanRunner scans, MilterMetrics metrics, int noReplyWanted, Runnable afterRead) {
        this.settings = settings;
        this.scans = scans;
        this.metrics = metrics;
        this.noReplyWanted = noReplyWanted;
        this.afterRead = afterRead;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        session = new MilterSession(ctx.alloc(), settings, noReplyWanted);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        metrics.connectionOpened();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof MilterCommand command)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!ctx.channel().isActive()) {
            ReferenceCountUtil.release(msg); // decoded after we closed: nobody will answer it
            return;
        }
        if (command instanceof MilterCommand.Abort || command instanceof MilterCommand.QuitNc) {
            cancelScan();
        }
        SessionStep step = session.handle(command);
        switch (step) {
            case SessionStep.Reply r -> {
                if (!r.replies().isEmpty()) {
                    write(ctx, r.replies());
                }
            }
            case SessionStep.Scan s -> startScan(ctx, s.message());
            case SessionStep.Close c -> {
                log.debug("closing milter connection from {}: {}", ctx.channel().remoteAddress(), c.reason());
                ctx.close();
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        afterRead.run();
        ctx.fireChannelReadComplete();
    }

    private void startScan(ChannelHandlerContext ctx, MessageToScan message) {
        metrics.message();
        String queueId = message.envelope().queueId();
        if (message.oversized()) {
            log.info("{}: message of {} bytes is larger than max_size {}: passed without scanning", queueId,
                    message.size(), settings.maxSize());
            List<MilterReply> replies = session.passUnscanned();
            metrics.verdict(replies, "unscanned");
            write(ctx, replies);
            return;
        }
        long id = ++scanCounter;
        pendingScan = id;
        long started = System.nanoTime();
        scanTimer = ctx.executor().schedule(() -> scanTimedOut(ctx, id, queueId), settings.scanTimeout().toMillis(), TimeUnit.MILLISECONDS);
        scanFuture = scans.submit(message.raw(), message.envelope(),
                (result, failure) -> ctx.executor().execute(() -> scanDone(ctx, id, message, result, failure, started)));
    }

    private void scanDone(ChannelHandlerContext ctx, long id, MessageToScan message, ScanResult result, Throwable failure, long started) {
        if (id != pendingScan || !ctx.channel().isActive()) {
            return;
        }
        clearPending();
        double seconds = (System.nanoTime() - started) / 1e9;
        metrics.scanTime(seconds);
        List<MilterReply> replies;
        if (failure != null) {
            metrics.error("scan");
            log.warn("{}: scan failed, answering {}: {}", message.envelope().queueId(), settings.fallback(), failure.toString());
            replies = session.fallbackVerdict();
            metrics.verdict(replies, "fallback");
        } else {
            replies = session.verdict(message, result);
            metrics.verdict(replies, result.action().wireName());
            if (log.isDebugEnabled()) {
                log.debug("{}: {} score {} in {} ms: {}", message.envelope().queueId(), result.action().wireName(),
                        result.score(), Math.round(seconds * 1000), replies);
            }
        }
        write(ctx, replies);
    }

    private void scanTimedOut(ChannelHandlerContext ctx, long id, String queueId) {
        if (id != pendingScan || !ctx.channel().isActive()) {
            return;
        }
        if (scanFuture != null) {
            scanFuture.cancel(true);
        }
        clearPending();
        metrics.error("timeout");
        log.warn("{}: scan took longer than {} ms, answering {}", queueId, settings.scanTimeout().toMillis(), settings.fallback());
        List<MilterReply> replies = session.fallbackVerdict();
        metrics.verdict(replies, "fallback");
        write(ctx, replies);
    }

    private void cancelScan() {
        if (pendingScan != 0) {
            if (scanFuture != null) {
                scanFuture.cancel(true);
            }
            clearPending();
        }
    }

    private void clearPending() {
        pendingScan = 0;
        scanFuture = null;
        if (scanTimer != null) {
            scanTimer.cancel(false);
            scanTimer = null;
        }
    }

    private static void write(ChannelHandlerContext ctx, List<MilterReply> replies) {
        for (MilterReply r : replies) {
            ctx.write(r, ctx.voidPromise());
        }
        ctx.flush();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && pendingScan == 0) {
            log.info("closing milter connection from {}: nothing received for {} s", ctx.channel().remoteAddress(),
                    settings.readTimeout().toSeconds());
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("milter connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        } else if (cause instanceof SessionLimitException) {
            metrics.error("limit");
            log.warn("closing milter connection from {}: {}; the MTA applies its milter_default_action",
                    ctx.channel().remoteAddress(), cause.getMessage());
        } else {
            metrics.error("protocol");
            log.warn("closing milter connection from {}: {}", ctx.channel().remoteAddress(), cause.getMessage() != null
                    ? cause.getMessage() : cause.toString());
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelScan();
        session.close();
        metrics.connectionClosed();
        ctx.fireChannelInactive();
    }
}

package io.rttpick.serve;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.NettyPipeline;

/**
 * The deadlines of one connection, which Reactor Netty's own timeouts do not give: its idle
 * timeout is reset by every byte, and its read and request timeouts start only once the headers
 * are decoded, so a client sending a byte a second would hold a connection for ever.
 * <ul>
 *   <li>idle: no request under way, not a byte of one for the idle timeout: closed;</li>
 *   <li>request: from a request's first byte to its last (headers and body): closed when late;</li>
 *   <li>write: from the first byte of an answer until the client has taken all of it: a client
 *       that does not read is dropped (which cancels whatever its call still had running).</li>
 * </ul>
 * One timer at a time, on the connection's own event loop, so no locking.
 */
final class ConnectionDeadlines {
    private static final Logger log = LoggerFactory.getLogger(ConnectionDeadlines.class);

    private enum Phase { IDLE, READING, HANDLING, WRITING }

    private final Channel channel;
    private final long requestNanos;
    private final long writeNanos;
    private final long idleNanos;
    private Phase phase = Phase.IDLE;
    private ScheduledFuture<?> timer;

    private ConnectionDeadlines(Channel channel, Duration request, Duration write, Duration idle) {
        this.channel = channel;
        this.requestNanos = request.toNanos();
        this.writeNanos = write.toNanos();
        this.idleNanos = idle.toNanos();
    }

    /** Called on the channel's event loop when it is set up (Reactor Netty's handlers in place). */
    static void install(Channel channel, Duration request, Duration write, Duration idle) {
        ConnectionDeadlines d = new ConnectionDeadlines(channel, request, write, idle);
        channel.pipeline().addFirst("rttpick.firstByte", d.new FirstByte());
        channel.pipeline().addAfter(NettyPipeline.HttpCodec, "rttpick.deadlines", d.new Messages());
        channel.closeFuture().addListener(f -> d.cancel());
        d.enter(Phase.IDLE);
    }

    private void enter(Phase next) {
        cancel();
        phase = next;
        long nanos = switch (next) {
            case IDLE -> idleNanos;
            case READING -> requestNanos;
            case WRITING -> writeNanos;
            case HANDLING -> -1; // the call has its own time bound
        };
        if (nanos > 0 && channel.isOpen()) {
            timer = channel.eventLoop().schedule(() -> expire(next), nanos, TimeUnit.NANOSECONDS);
        }
    }

    private void expire(Phase when) {
        if (phase == when) {
            log.debug("serve: {} closed: {} deadline passed", channel.remoteAddress(), when);
            channel.close();
        }
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** Before the HTTP decoder: the first byte of a request starts its deadline. */
    private final class FirstByte extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (phase == Phase.IDLE && msg instanceof ByteBuf b && b.isReadable()) {
                enter(Phase.READING);
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** After the HTTP codec: a request's end, and an answer's start and end. */
    private final class Messages extends ChannelDuplexHandler {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest && phase == Phase.IDLE) {
                enter(Phase.READING); // pipelined: its bytes came while the one before was answered
            }
            if (msg instanceof LastHttpContent && phase == Phase.READING) {
                enter(Phase.HANDLING);
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof HttpResponse && phase != Phase.WRITING) {
                enter(Phase.WRITING);
            }
            if (msg instanceof LastHttpContent) {
                ChannelPromise p = promise.unvoid();
                p.addListener(f -> {
                    if (f.isSuccess() && phase == Phase.WRITING) {
                        enter(Phase.IDLE);
                    }
                });
                ctx.write(msg, p);
                return;
            }
            ctx.write(msg, promise);
        }
    }
}

package io.rttpick.prober.connect;

import io.rttpick.prober.Handshake;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.SocketConfigurer;
import io.rttpick.prober.Outcome;
import io.rttpick.prober.Timing;
import io.rttpick.prober.spi.AttemptFailedException;
import io.rttpick.prober.spi.AttemptResult;
import io.rttpick.prober.spi.ConnectClock;
import io.rttpick.prober.spi.NoRoomException;
import io.rttpick.prober.spi.Preload;
import io.rttpick.prober.spi.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * Plain java.nio connects, timed in user space, closed with SO_LINGER 0 as soon as the selector
 * says the connect finished. With the delayed ACK requested ({@link DelayedAck}: TCP_QUICKACK off
 * on Linux JDKs) the close sends RST where the handshake's final ACK would have gone, so the
 * handshake stays half-open ({@link Handshake#HALF_OPEN}); without it the kernel completes the
 * handshake first ({@link Handshake#COMPLETED}) and the close resets the connection. Either way no
 * TIME_WAIT is left behind.
 */
final class NioTransport implements Transport<NioTransport.Attempt> {
    /** Detail: the server reset the connection right after the handshake completed. */
    static final String RESET_BY_PEER = "resetByPeer";
    /** Detail: why a sample is {@code COMPLETED} where a half-open one was wanted. */
    static final String HANDSHAKE_NOTE = "handshakeNote";
    /** A delayed ACK waits at least this long; a close later than this may come after the ACK went out. */
    private static final long DELAYED_ACK_NANOS = 150_000_000L;
    /** Closes wait for the round's end only within this long of the last select; later ones are completed at once. */
    private static final long MAX_CLOSE_DELAY_NANOS = 1_000_000L;

    /** One connect in flight: its channel, and whether its ACK was delayed. */
    static final class Attempt {
        final SocketChannel channel;
        final boolean ackDelayed;

        Attempt(SocketChannel channel, boolean ackDelayed) {
            this.channel = channel;
            this.ackDelayed = ackDelayed;
        }
    }

    static {
        // out of descriptors the JVM cannot load a class: load the failure path's now
        Preload.classes(ConnectErrors.class, NoRoomException.class, AttemptFailedException.class);
    }

    private final Selector selector;
    private final DelayedAck delayedAck;
    /** Channels closed since the last select: their sockets are still open (see completeCloses). */
    private boolean closesPending;
    /** When the last select began: closes later than a millisecond after it are completed at once. */
    private long lastSelectNanos;

    NioTransport(DelayedAck delayedAck) {
        this.delayedAck = delayedAck;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
    }

    @Override
    public Attempt connect(InetSocketAddress target, InetAddress localAddress, ConnectClock clock)
            throws AttemptFailedException, NoRoomException {
        return connect(target, localAddress, SocketConfigurer.NONE, clock);
    }

    @Override
    public Attempt connect(InetSocketAddress target, ProbeOptions options, ConnectClock clock)
            throws AttemptFailedException, NoRoomException {
        return connect(target, options.localAddress().orElse(null), options.socketConfigurer(), clock);
    }

    private Attempt connect(InetSocketAddress target, InetAddress localAddress, SocketConfigurer configurer, ConnectClock clock)
            throws AttemptFailedException, NoRoomException {
        SocketChannel channel;
        try {
            channel = SocketChannel.open();
        } catch (IOException e) {
            throw ConnectErrors.failure(e);
        }
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            boolean ackDelayed = delayedAck.request(channel);
            if (localAddress != null) {
                bind(channel, localAddress);
            }
            configure(channel, configurer);
            // On loopback the connect may finish at once; the channel is then writable right away.
            clock.mark();
            boolean connected = channel.connect(target);
            Attempt attempt = new Attempt(channel, ackDelayed);
            channel.register(selector, connected ? SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT, attempt);
            return attempt;
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            throw ConnectErrors.failure(e);
        }
    }

    /** The app's hook ({@link ProbeOptions#socketConfigurer()}): its failure fails this attempt only. */
    private static void configure(SocketChannel channel, SocketConfigurer configurer) throws AttemptFailedException {
        try {
            configurer.configure(channel);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            throw new AttemptFailedException(Outcome.ERROR, "the socket configurer failed: " + e);
        }
    }

    /** A source address that cannot be bound is the caller's mistake, not a lack of room: fail the attempt. */
    private static void bind(SocketChannel channel, InetAddress localAddress) throws AttemptFailedException {
        try {
            channel.bind(new InetSocketAddress(localAddress, 0));
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            throw new AttemptFailedException(Outcome.ERROR,
                    "cannot bind local address " + localAddress.getHostAddress() + ": " + e.getMessage());
        }
    }

    @Override
    public void poll(long timeoutNanos, ReadyHandler<Attempt> ready) throws IOException {
        closesPending = false; // every select below completes them
        lastSelectNanos = System.nanoTime();
        if (timeoutNanos == 0) {
            selector.selectNow();
        } else if (timeoutNanos < 0) {
            selector.select();
        } else {
            // select(ms) with 0 would block forever: wait at least 1 ms
            selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos + 999_999)));
        }
        long now = System.nanoTime();
        for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
            SelectionKey key = it.next();
            it.remove();
            ready.ready((Attempt) key.attachment(), now);
        }
    }

    @Override
    public AttemptResult finish(Attempt attempt, long startNanos, long readyNanos) {
        long micros = Math.max(0, (readyNanos - startNanos) / 1_000);
        SocketChannel channel = attempt.channel;
        try {
            if (channel.isConnectionPending()) {
                channel.finishConnect();
            }
        } catch (IOException e) {
            abort(attempt);
            if (ConnectErrors.isResetAfterHandshake(e)) {
                // a reset needs an established connection: the SYN-ACK came, the server then reset it
                return AttemptResult.ok(micros, Timing.USERSPACE, Handshake.COMPLETED).detail(RESET_BY_PEER, true);
            }
            return AttemptResult.failed(ConnectErrors.outcomeOf(e), ConnectErrors.describe(e));
        }
        abort(attempt); // at once (see completeCloses): RST where the delayed ACK would have gone
        long lateNanos = System.nanoTime() - readyNanos;
        if (attempt.ackDelayed && lateNanos <= DELAYED_ACK_NANOS) {
            return AttemptResult.ok(micros, Timing.USERSPACE, Handshake.HALF_OPEN);
        }
        return AttemptResult.ok(micros, Timing.USERSPACE, Handshake.COMPLETED).detail(HANDSHAKE_NOTE, attempt.ackDelayed
                ? "closed " + lateNanos / 1_000_000 + " ms after the answer: the delayed ACK may have gone out first"
                : delayedAck.unavailable().orElse("the delayed ACK was not requested"));
    }

    @Override
    public void abort(Attempt attempt) {
        SelectionKey key = attempt.channel.keyFor(selector);
        if (key != null) {
            key.cancel();
        }
        closeQuietly(attempt.channel);
        closesPending = true;
        if (System.nanoTime() - lastSelectNanos > MAX_CLOSE_DELAY_NANOS) {
            completeCloses(); // a loop running late, or a long round: do not wait for the round's end
        }
    }

    /**
     * A channel registered with a selector is closed for real only when the selector deregisters
     * its key, at its next select: until then the socket lives on, and a delayed ACK falling due
     * meanwhile completes the handshake. One select now closes every channel of the round; keys it
     * finds ready stay selected for the next poll. Once per round (and at once for a close more
     * than a millisecond after the last select), not per close: each select walks every ready
     * key, so a select per close costs a burst of answers dearly (measured with {@code rttpick
     * bench --servers 10000 --prober connect}: prober CPU 345 ms against 295, and in 2 of 8 runs
     * the loop fell so far behind that 437 and 1,840 handshakes completed).
     */
    @Override
    public void completeCloses() {
        if (!closesPending) {
            return;
        }
        closesPending = false;
        lastSelectNanos = System.nanoTime();
        try {
            selector.selectNow();
        } catch (IOException | RuntimeException ignored) {
            // the next poll deregisters them, as it would have anyway
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the socket is gone either way; nothing the caller could do
        }
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing is all that was asked
        }
    }
}

package io.rttpick.prober.spi;

import io.rttpick.prober.ProbeOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The platform part of a prober: non-blocking connects and a readiness wait (epoll, kqueue, a
 * java.nio Selector). {@link io.rttpick.prober.engine.EventLoopProber} owns the rest (scheduling, deadlines, demand,
 * cancellation). Every method but {@link #wakeup()} is called from the event-loop thread only.
 *
 * @param <C> the transport's handle for one connect in flight
 */
public interface Transport<C> {

    /**
     * Opens a non-blocking socket, binds {@code localAddress} if not null, and starts the connect,
     * calling {@link ConnectClock#mark()} right before the connect call itself (set-up time is
     * then not part of the RTT; a transport that does not mark is timed from before this call).
     *
     * @throws AttemptFailedException when the connect failed at once; nothing stays open
     * @throws NoRoomException when no socket can be had now; nothing stays open
     */
    C connect(InetSocketAddress target, InetAddress localAddress, ConnectClock clock)
            throws AttemptFailedException, NoRoomException;

    /**
     * What the event loop calls: the connect of one attempt under {@code options}. Transports
     * that open Java sockets override it to apply {@link ProbeOptions#socketConfigurer()}; the
     * others take the local address only.
     */
    default C connect(InetSocketAddress target, ProbeOptions options, ConnectClock clock)
            throws AttemptFailedException, NoRoomException {
        return connect(target, options.localAddress().orElse(null), clock);
    }

    /**
     * Waits for connects that have an answer, at most {@code timeoutNanos} (0: do not wait,
     * negative: until something happens or {@link #wakeup()}), and hands each to {@code ready}
     * with the time the wait returned.
     */
    void poll(long timeoutNanos, ReadyHandler<C> ready) throws IOException;

    /** Reads how a ready connect ended, and closes it so that the server gets a reset. */
    AttemptResult finish(C connection, long startNanos, long readyNanos);

    /** Closes a connect that has no answer (deadline, cancellation). */
    void abort(C connection);

    /**
     * Called after each round of {@link #finish} and {@link #abort} calls, before the loop ends
     * runs, launches or waits again (and once more after ending runs, for cancelled ones). A
     * transport whose closes take effect later completes them here, so that the reset goes out
     * now: java.nio closes a channel registered with a selector only at the selector's next
     * select, and a delayed ACK that falls due first completes the handshake.
     */
    default void completeCloses() {
    }

    /** Makes a blocked or the next {@link #poll} return at once. Any thread. */
    void wakeup();

    /** Releases the readiness mechanism; every connection was finished or aborted before. */
    void close();

    /** Receives ready connects from {@link #poll}. */
    @FunctionalInterface
    interface ReadyHandler<C> {
        void ready(C connection, long readyNanos);
    }
}

package io.rttpick.prober.spi;

import io.rttpick.prober.Handshake;
import io.rttpick.prober.Outcome;
import io.rttpick.prober.Timing;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import jdk.net.ExtendedSocketOptions;

/**
 * A prober's transport that completes every handshake (a blocking java.nio connect: the kernel
 * ACKs the SYN-ACK at once) yet says its samples were half-open, and closes each connection after
 * a scripted delay: the n-th close (from 0) waits {@code closeDelayMillis.applyAsInt(n)} ms. What a
 * canary sees from a prober that never held the ACK back, or from a slow machine's late closes.
 * From the connect numbered {@code halfOpenFrom} on it holds the ACK back instead (the JDK's
 * TCP_QUICKACK off, SO_LINGER 0, closed as soon as the connect is in), as a half-open prober does.
 */
final class CompletingTransport implements Transport<SocketChannel> {
    private final IntUnaryOperator closeDelayMillis;
    private final int halfOpenFrom;
    private final ArrayDeque<SocketChannel> ready = new ArrayDeque<>();
    private int connects;
    private int finished;

    CompletingTransport(IntUnaryOperator closeDelayMillis) {
        this(closeDelayMillis, Integer.MAX_VALUE);
    }

    CompletingTransport(IntUnaryOperator closeDelayMillis, int halfOpenFrom) {
        this.closeDelayMillis = closeDelayMillis;
        this.halfOpenFrom = halfOpenFrom;
    }

    /** Whether this JDK can turn TCP_QUICKACK off (Linux JDKs), as the half-open connects need. */
    static boolean halfOpenPossible() {
        try (SocketChannel c = SocketChannel.open()) {
            return c.supportedOptions().contains(ExtendedSocketOptions.TCP_QUICKACK);
        } catch (IOException e) {
            return false;
        }
    }

    /** How many connections were finished (each canary round finishes two). */
    synchronized int finished() {
        return finished;
    }

    @Override
    public synchronized SocketChannel connect(InetSocketAddress target, InetAddress localAddress, ConnectClock clock)
            throws AttemptFailedException {
        clock.mark();
        try {
            SocketChannel channel = connects++ < halfOpenFrom ? SocketChannel.open(target) : halfOpen(target);
            ready.add(channel);
            return channel;
        } catch (ConnectException e) {
            throw new AttemptFailedException(Outcome.REFUSED, "connection refused");
        } catch (IOException e) {
            throw new AttemptFailedException(Outcome.ERROR, e.toString());
        }
    }

    private static SocketChannel halfOpen(InetSocketAddress target) throws IOException {
        SocketChannel c = SocketChannel.open();
        try {
            c.configureBlocking(false);
            c.setOption(ExtendedSocketOptions.TCP_QUICKACK, false);
            c.setOption(StandardSocketOptions.SO_LINGER, 0);
            c.connect(target);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (!c.finishConnect()) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("no SYN-ACK from " + target + " in 2 s");
                }
                Thread.onSpinWait();
            }
            return c;
        } catch (IOException e) {
            c.close();
            throw e;
        }
    }

    @Override
    public void poll(long timeoutNanos, ReadyHandler<SocketChannel> handler) {
        List<SocketChannel> due;
        synchronized (this) {
            due = new ArrayList<>(ready);
            ready.clear();
        }
        if (due.isEmpty() && timeoutNanos != 0) {
            sleepMillis(timeoutNanos < 0 ? 5 : Math.min(5, TimeUnit.NANOSECONDS.toMillis(timeoutNanos)));
        }
        long now = System.nanoTime();
        due.forEach(c -> handler.ready(c, now));
    }

    @Override
    public AttemptResult finish(SocketChannel connection, long startNanos, long readyNanos) {
        int n;
        synchronized (this) {
            n = finished++;
        }
        sleepMillis(closeDelayMillis.applyAsInt(n));
        abort(connection);
        return AttemptResult.ok(Math.max(0, (readyNanos - startNanos) / 1_000), Timing.USERSPACE, Handshake.HALF_OPEN);
    }

    @Override
    public void abort(SocketChannel connection) {
        try {
            connection.close();
        } catch (IOException ignored) {
            // a loopback test socket
        }
    }

    @Override
    public void wakeup() {
    }

    @Override
    public void close() {
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

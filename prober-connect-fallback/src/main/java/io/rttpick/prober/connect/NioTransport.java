package io.rttpick.prober.connect;

import io.rttpick.prober.Handshake;
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
 * Plain java.nio connects, timed in user space. The kernel completes the handshake before the
 * channel becomes connectable, so every OK sample is {@link Handshake#COMPLETED}; we close at
 * once with SO_LINGER 0, which sends RST and leaves no TIME_WAIT behind.
 */
final class NioTransport implements Transport<SocketChannel> {
    /** Detail: the server reset the connection right after the handshake completed. */
    static final String RESET_BY_PEER = "resetByPeer";

    static {
        // out of descriptors the JVM cannot load a class: load the failure path's now
        Preload.classes(ConnectErrors.class, NoRoomException.class, AttemptFailedException.class);
    }

    private final Selector selector;

    NioTransport() {
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
    }

    @Override
    public SocketChannel connect(InetSocketAddress target, InetAddress localAddress, ConnectClock clock)
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
            if (localAddress != null) {
                bind(channel, localAddress);
            }
            // On loopback the connect may finish at once; the channel is then writable right away.
            clock.mark();
            boolean connected = channel.connect(target);
            channel.register(selector, connected ? SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT);
            return channel;
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            throw ConnectErrors.failure(e);
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
    public void poll(long timeoutNanos, ReadyHandler<SocketChannel> ready) throws IOException {
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
            ready.ready((SocketChannel) key.channel(), now);
        }
    }

    @Override
    public AttemptResult finish(SocketChannel channel, long startNanos, long readyNanos) {
        long micros = Math.max(0, (readyNanos - startNanos) / 1_000);
        try {
            if (channel.isConnectionPending()) {
                channel.finishConnect();
            }
            return AttemptResult.ok(micros, Timing.USERSPACE, Handshake.COMPLETED);
        } catch (IOException e) {
            if (ConnectErrors.isResetAfterHandshake(e)) {
                // a reset needs an established connection: the SYN-ACK came, the server then reset it
                return AttemptResult.ok(micros, Timing.USERSPACE, Handshake.COMPLETED).detail(RESET_BY_PEER, true);
            }
            return AttemptResult.failed(ConnectErrors.outcomeOf(e), ConnectErrors.describe(e));
        } finally {
            abort(channel);
        }
    }

    @Override
    public void abort(SocketChannel channel) {
        SelectionKey key = channel.keyFor(selector);
        if (key != null) {
            key.cancel();
        }
        closeQuietly(channel);
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

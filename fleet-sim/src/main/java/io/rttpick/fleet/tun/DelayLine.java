package io.rttpick.fleet.tun;

import java.util.PriorityQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * Sends packets at their due time, on one thread: parks until shortly before, then spins, so
 * that the fleet's own timing does not blur what the probers measure. The thread runs under
 * SCHED_FIFO where it may (root), so other threads do not preempt it; the spin is kept short,
 * since the kernel throttles a real-time thread that spins most of a second.
 */
final class DelayLine implements AutoCloseable {
    /** Park no closer than this to the due time; spin the rest. */
    private static final long SPIN_NANOS = 300_000;

    interface Sender {
        void send(byte[] packet);
    }

    private static final class Item {
        final long due;
        final long order;
        final byte[] packet;
        final LongConsumer onSent;

        Item(long due, long order, byte[] packet, LongConsumer onSent) {
            this.due = due;
            this.order = order;
            this.packet = packet;
            this.onSent = onSent;
        }
    }

    private final PriorityQueue<Item> queue = new PriorityQueue<>((a, b) ->
            a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.order, b.order));
    private final Sender sender;
    private final Thread thread;
    private long order;
    private volatile boolean closed;

    DelayLine(Sender sender) {
        this.sender = sender;
        this.thread = new Thread(this::run, "fleet-delay-line");
        thread.setDaemon(true);
        thread.start();
    }

    /** Sends {@code packet} at {@code dueNanos} (System.nanoTime); {@code onSent} gets the actual time. */
    void at(long dueNanos, byte[] packet, LongConsumer onSent) {
        synchronized (queue) {
            queue.add(new Item(dueNanos, order++, packet, onSent));
        }
        LockSupport.unpark(thread);
    }

    private void run() {
        RealtimeThreads.makeCurrentRealtime();
        while (!closed) {
            Item next;
            synchronized (queue) {
                next = queue.peek();
            }
            long now = System.nanoTime();
            if (next == null) {
                LockSupport.parkNanos(10_000_000);
                continue;
            }
            long wait = next.due - now;
            if (wait > SPIN_NANOS) {
                LockSupport.parkNanos(wait - SPIN_NANOS);
                continue; // something earlier may have come in
            }
            while (System.nanoTime() < next.due) {
                Thread.onSpinWait();
            }
            synchronized (queue) {
                queue.remove(next);
            }
            // the answer leaves when the write starts: what the kernel then does with it (the
            // client's stack handles it inside this very write) is the client's time, not ours
            long leaving = System.nanoTime();
            sender.send(next.packet);
            next.onSent.accept(leaving);
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

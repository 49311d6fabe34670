package io.rttpick.fleet.tun;

import java.util.PriorityQueue;
import java.util.function.LongConsumer;

/**
 * Answers waiting for their due time, soonest first. Passive: the fleet's one thread asks it
 * how long it may wait and has it send what is due, between reading packets (see
 * {@link TunFleet}), so that reading and answering never preempt each other.
 */
final class DelayLine {
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
    private long order;

    DelayLine(Sender sender) {
        this.sender = sender;
    }

    /** Sends {@code packet} at {@code dueNanos} (System.nanoTime); {@code onSent} gets the actual time. */
    void at(long dueNanos, byte[] packet, LongConsumer onSent) {
        queue.add(new Item(dueNanos, order++, packet, onSent));
    }

    /** Sends every answer due by now, in due order. */
    void sendDue() {
        Item next;
        while ((next = queue.peek()) != null) {
            // the answer leaves when the write starts: what the kernel then does with it (the
            // client's stack handles it inside this very write) is the client's time, not ours
            long leaving = System.nanoTime();
            if (next.due > leaving) {
                return;
            }
            queue.poll();
            sender.send(next.packet);
            next.onSent.accept(leaving);
        }
    }

    /** Nanoseconds until the next answer is due (0 if overdue); -1 when none waits. */
    long nanosUntilNext(long nowNanos) {
        Item next = queue.peek();
        return next == null ? -1 : Math.max(0, next.due - nowNanos);
    }
}

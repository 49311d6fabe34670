package io.rttpick.prober.engine;

import io.rttpick.prober.ProbeEvent;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.RttSample;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import reactor.core.Disposable;
import reactor.core.publisher.FluxSink;

/**
 * One subscription's probes. Other threads only add input and cancellation; the rest belongs to
 * the event-loop thread. Its events are buffered, not held back by demand: they are bounded by
 * the input (two per attempt), and holding launches back would cap the probes in flight at the
 * subscriber's prefetch instead of at {@link ProbeOptions#maxInFlight()}.
 */
final class ProbeRun {
    /** Takes the run's events in batches, in order (see {@link EventOutbox}). */
    final FluxSink<List<ProbeEvent>> sink;
    final ProbeOptions options;
    final long timeoutNanos;

    // written by the caller's and the resolver's threads
    private final Queue<Object> incoming = new ConcurrentLinkedQueue<>();
    volatile boolean inputDone;
    volatile boolean cancelled;
    volatile Disposable resolving = () -> { };

    // event-loop thread only
    /** Targets to attempt and ready samples (invalid, unresolvable) to emit, in order. */
    final ArrayDeque<Object> pending = new ArrayDeque<>();
    int inFlight;
    /**
     * The run's attempts in flight (and some already ended), oldest first: launch order is
     * deadline order, because a run has one timeout. The event loop's own type, hence Object.
     */
    final ArrayDeque<Object> byDeadline = new ArrayDeque<>();
    /** Next attempts held back by {@link ProbeOptions#sampleSpacing()}, soonest first. */
    private final PriorityQueue<Target> spaced = new PriorityQueue<>(Comparator.comparingLong(t -> t.notBeforeNanos));
    private final long spacingNanos;
    /** Spacing between connects under a rate cap; 0 without one. */
    private final long connectIntervalNanos;
    private long nextConnectNanos = Long.MIN_VALUE;

    ProbeRun(FluxSink<List<ProbeEvent>> sink, ProbeOptions options) {
        this.sink = sink;
        this.options = options;
        this.timeoutNanos = options.timeout().toNanos();
        this.spacingNanos = options.sampleSpacing().toNanos();
        this.connectIntervalNanos = options.maxConnectsPerSecond() == 0 ? 0 : 1_000_000_000L / options.maxConnectsPerSecond();
    }

    void offer(Target target) {
        incoming.add(target);
    }

    void offer(RttSample ready) {
        incoming.add(ready);
    }

    void drainIncoming() {
        for (Object o; (o = incoming.poll()) != null; ) {
            pending.add(o);
        }
    }

    /** Queues an address's next attempt: at once, or after the spacing. */
    void nextAttempt(Target next, long nowNanos) {
        if (spacingNanos == 0) {
            pending.addLast(next);
        } else {
            next.notBeforeNanos = nowNanos + spacingNanos;
            spaced.add(next);
        }
    }

    /** Moves the spaced attempts that are due into the pending queue. */
    void releaseDue(long nowNanos) {
        Target t;
        while ((t = spaced.peek()) != null && t.notBeforeNanos <= nowNanos) {
            pending.addLast(spaced.poll());
        }
    }

    /** Nanos until the next spaced attempt is due; -1 if none waits. */
    long waitForSpacingNanos(long nowNanos) {
        Target t = spaced.peek();
        return t == null || cancelled ? -1 : Math.max(0, t.notBeforeNanos - nowNanos);
    }

    void clearQueues() {
        pending.clear();
        spaced.clear();
        byDeadline.clear();
    }

    /** True when the next pending item may go now: room in flight, and the rate cap. */
    boolean canLaunchNext(long nowNanos) {
        return readyButForRate() && (!(pending.peek() instanceof Target) || nowNanos >= nextConnectNanos);
    }

    /** Nanos until the rate cap lets the next connect go, when only the cap holds it back; else -1. */
    long waitForRateNanos(long nowNanos) {
        if (connectIntervalNanos == 0 || !(pending.peek() instanceof Target) || !readyButForRate()) {
            return -1;
        }
        return Math.max(0, nextConnectNanos - nowNanos);
    }

    private boolean readyButForRate() {
        Object next = pending.peek();
        if (next == null || cancelled) {
            return false;
        }
        return next instanceof RttSample || inFlight < options.maxInFlight();
    }

    /** Books a connect against the rate cap. */
    void connectLaunched(long nowNanos) {
        if (connectIntervalNanos > 0) {
            nextConnectNanos = Math.max(nextConnectNanos, nowNanos) + connectIntervalNanos;
        }
    }

    boolean isDone() {
        return inputDone && incoming.isEmpty() && pending.isEmpty() && spaced.isEmpty() && inFlight == 0;
    }
}

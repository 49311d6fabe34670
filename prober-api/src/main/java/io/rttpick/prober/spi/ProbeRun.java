package io.rttpick.prober.spi;

import io.rttpick.prober.ProbeEvent;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.RttSample;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.Disposable;
import reactor.core.publisher.FluxSink;

/**
 * One subscription's probes. Other threads only add input, demand and cancellation; the rest
 * belongs to the event-loop thread.
 */
final class ProbeRun {
    final FluxSink<ProbeEvent> sink;
    final ProbeOptions options;
    final long timeoutNanos;

    // written by the caller's and the resolver's threads
    private final Queue<Object> incoming = new ConcurrentLinkedQueue<>();
    private final AtomicLong requested = new AtomicLong();
    volatile boolean inputDone;
    volatile boolean cancelled;
    volatile Disposable resolving = () -> { };

    // event-loop thread only
    /** Targets to attempt and ready samples (invalid, unresolvable) to emit, in order. */
    final ArrayDeque<Object> pending = new ArrayDeque<>();
    int inFlight;
    private long reserved;
    /** Spacing between connects under a rate cap; 0 without one. */
    private final long connectIntervalNanos;
    private long nextConnectNanos = Long.MIN_VALUE;

    ProbeRun(FluxSink<ProbeEvent> sink, ProbeOptions options) {
        this.sink = sink;
        this.options = options;
        this.timeoutNanos = options.timeout().toNanos();
        this.connectIntervalNanos = options.maxConnectsPerSecond() == 0 ? 0 : 1_000_000_000L / options.maxConnectsPerSecond();
    }

    void offer(Target target) {
        incoming.add(target);
    }

    void offer(RttSample ready) {
        incoming.add(ready);
    }

    void request(long n) {
        requested.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
    }

    void drainIncoming() {
        for (Object o; (o = incoming.poll()) != null; ) {
            pending.add(o);
        }
    }

    /** True when the next pending item may go now: room in flight, demand for its events, the rate cap. */
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
        if (next instanceof RttSample) {
            return demandLeft() >= 1;
        }
        // a started attempt owes two events: Started and Completed
        return inFlight < options.maxInFlight() && demandLeft() >= 2;
    }

    /** Books a connect against the rate cap. */
    void connectLaunched(long nowNanos) {
        if (connectIntervalNanos > 0) {
            nextConnectNanos = Math.max(nextConnectNanos, nowNanos) + connectIntervalNanos;
        }
    }

    private long demandLeft() {
        return requested.get() - reserved;
    }

    void reserve(int events) {
        reserved += events;
    }

    void release(int events) {
        reserved -= events;
    }

    boolean isDone() {
        return inputDone && incoming.isEmpty() && pending.isEmpty() && inFlight == 0;
    }
}

package io.rttpick.prober.engine;

import io.rttpick.prober.ProbeEvent;
import io.rttpick.prober.ProbeOptions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import reactor.core.Disposable;
import reactor.core.publisher.FluxSink;

/**
 * One subscription's probes, and the rules of its life: what may launch next (room in flight, the
 * rate cap, spacing), attempts launched and ended, waiting for room, cancellation, completion.
 * Other threads only add input, end it, and cancel; the rest belongs to the event-loop thread.
 *
 * <p>Its events are buffered, not held back by demand: they are bounded by the input (two per
 * attempt), and holding launches back would cap the probes in flight at the subscriber's prefetch
 * instead of at {@link ProbeOptions#maxInFlight()}.
 */
final class ProbeRun<C> {
    private final FluxSink<List<ProbeEvent>> sink;
    final ProbeOptions options;
    final long timeoutNanos;

    // written by the caller's and the resolver's threads
    private final Queue<RunInput> incoming = new ConcurrentLinkedQueue<>();
    private volatile boolean inputDone;
    private volatile boolean cancelled;
    private volatile Disposable resolving = () -> { };

    // event-loop thread only
    /** Targets to attempt and ready samples to emit, in order. */
    private final ArrayDeque<RunInput> pending = new ArrayDeque<>();
    private int inFlight;
    /**
     * The run's attempts in flight (and some already ended), oldest first: launch order is
     * deadline order, because a run has one timeout.
     */
    private final ArrayDeque<Attempt<C>> byDeadline = new ArrayDeque<>();
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

    // --- any thread

    void offer(RunInput input) {
        incoming.add(input);
    }

    /** Every input was offered. */
    void inputEnded() {
        inputDone = true;
    }

    /** What resolves the run's names, stopped when the run ends early. */
    void resolvingBy(Disposable resolving) {
        this.resolving = resolving;
    }

    void stopResolving() {
        resolving.dispose();
    }

    /** The subscriber cancelled: nothing more is launched or emitted; the loop aborts what is in flight. */
    void cancel() {
        cancelled = true;
    }

    boolean isCancelled() {
        return cancelled;
    }

    // --- event-loop thread

    /** Takes the input offered since the last call, and the spaced attempts now due. */
    void takeInput(long nowNanos) {
        for (RunInput input; (input = incoming.poll()) != null; ) {
            pending.add(input);
        }
        Target t;
        while ((t = spaced.peek()) != null && t.notBeforeNanos <= nowNanos) {
            pending.addLast(spaced.poll());
        }
    }

    /** True when the next pending input may go now: room in flight, and the rate cap. */
    boolean canLaunchNext(long nowNanos) {
        return readyButForRate() && (!(pending.peek() instanceof Target) || nowNanos >= nextConnectNanos);
    }

    /** The next pending input; call when {@link #canLaunchNext} said so. */
    RunInput takeNext() {
        return pending.poll();
    }

    /** Books a connect about to be issued against the rate cap, whether or not it succeeds. */
    void connectIssued(long nowNanos) {
        if (connectIntervalNanos > 0) {
            nextConnectNanos = Math.max(nextConnectNanos, nowNanos) + connectIntervalNanos;
        }
    }

    /** The connect is in flight until it is {@link #ended}. */
    void launched(Attempt<C> attempt) {
        inFlight++;
        byDeadline.addLast(attempt);
    }

    /** The attempt was answered, expired or aborted: its room is free. */
    void ended(Attempt<C> attempt) {
        attempt.done = true;
        inFlight--;
    }

    /** No socket could be had for {@code target}: it goes first again, once an attempt has ended. */
    void waitForRoom(Target target) {
        pending.addFirst(target);
    }

    /** Queues an address's next sample after one ended: at once, or after the spacing. */
    void sampleEnded(Target target, long nowNanos) {
        if (target.attempt + 1 >= options.samplesPerEndpoint()) {
            return;
        }
        Target next = target.nextAttempt();
        if (spacingNanos == 0) {
            pending.addLast(next);
        } else {
            next.notBeforeNanos = nowNanos + spacingNanos;
            spaced.add(next);
        }
    }

    /** Takes the unfinished attempt whose deadline has passed, soonest first; null if none. */
    Attempt<C> takeExpired(long nowNanos) {
        Attempt<C> first = soonestUnfinished();
        if (first == null || first.deadlineNanos > nowNanos) {
            return null;
        }
        byDeadline.poll();
        ended(first);
        return first;
    }

    /** Nanos the loop may wait before this run needs it (deadline, rate cap, spacing); -1: none. */
    long nanosUntilDue(long nowNanos) {
        long wait = -1;
        Attempt<C> first = soonestUnfinished();
        if (first != null) {
            wait = Math.max(0, first.deadlineNanos - nowNanos);
        }
        wait = sooner(wait, waitForRateNanos(nowNanos));
        return sooner(wait, waitForSpacingNanos(nowNanos));
    }

    /** The shorter of two waits, where -1 means none. */
    static long sooner(long a, long b) {
        return a < 0 ? b : b < 0 ? a : Math.min(a, b);
    }

    /**
     * Ends the run where it stands (cancelled, or the loop failing or closing): drops its queues and
     * returns the attempts still in flight, each now ended, for the loop to abort.
     */
    List<Attempt<C>> abandon() {
        List<Attempt<C>> open = new ArrayList<>();
        for (Attempt<C> attempt : byDeadline) {
            if (!attempt.done) {
                attempt.done = true;
                open.add(attempt);
            }
        }
        pending.clear();
        spaced.clear();
        byDeadline.clear();
        inFlight = 0;
        return open;
    }

    boolean isDone() {
        return inputDone && incoming.isEmpty() && pending.isEmpty() && spaced.isEmpty() && inFlight == 0;
    }

    /** Hands a batch of events to the subscriber's side. */
    void emit(List<ProbeEvent> batch) {
        sink.next(batch);
    }

    void complete() {
        sink.complete();
    }

    void fail(Throwable cause) {
        sink.error(cause);
    }

    private boolean readyButForRate() {
        RunInput next = pending.peek();
        if (next == null || cancelled) {
            return false;
        }
        return next instanceof ReadySample || inFlight < options.maxInFlight();
    }

    /** Nanos until the rate cap lets the next connect go, when only the cap holds it back; else -1. */
    private long waitForRateNanos(long nowNanos) {
        if (connectIntervalNanos == 0 || !(pending.peek() instanceof Target) || !readyButForRate()) {
            return -1;
        }
        return Math.max(0, nextConnectNanos - nowNanos);
    }

    /** Nanos until the next spaced attempt is due; -1 if none waits. */
    private long waitForSpacingNanos(long nowNanos) {
        Target t = spaced.peek();
        return t == null || cancelled ? -1 : Math.max(0, t.notBeforeNanos - nowNanos);
    }

    /** The unfinished attempt with the soonest deadline, dropping finished ones before it; null if none. */
    private Attempt<C> soonestUnfinished() {
        Attempt<C> first;
        while ((first = byDeadline.peek()) != null && first.done) {
            byDeadline.poll();
        }
        return first;
    }
}

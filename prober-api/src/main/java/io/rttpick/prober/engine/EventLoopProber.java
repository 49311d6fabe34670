package io.rttpick.prober.engine;

import io.rttpick.prober.ErrorTexts;
import io.rttpick.prober.Outcome;
import io.rttpick.prober.ProbeEvent;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.prober.RttSample;
import io.rttpick.prober.spi.AttemptFailedException;
import io.rttpick.prober.spi.AttemptResult;
import io.rttpick.prober.spi.ConnectClock;
import io.rttpick.prober.spi.NoRoomException;
import io.rttpick.prober.spi.Transport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A {@link Prober} built from a {@link Transport}: one daemon thread runs every connect in
 * flight, for every concurrent call, and owns all their sockets. Samples are handed to the
 * subscriber on a separate delivery thread, so a slow subscriber never delays a measurement.
 *
 * <p>Connects go out in small batches with readiness drained between them, so that a large
 * run does not hold answers waiting behind its own launches.
 */
public final class EventLoopProber<C> implements Prober {
    private static final Logger log = LoggerFactory.getLogger(EventLoopProber.class);
    /** Connects launched before the loop looks for answers again. */
    static final int LAUNCH_BATCH = 16;
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final String name;
    private final Transport<C> transport;
    private final InputPreparer preparer;
    private final Thread loopThread;
    private final Scheduler delivery;
    private final Queue<ProbeRun> newRuns = new ConcurrentLinkedQueue<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closing;
    private volatile boolean loopEnded;

    // event-loop thread only
    private final List<ProbeRun> runs = new ArrayList<>();
    private final Map<C, Attempt<C>> inFlight = new HashMap<>();
    private final List<Attempt<C>> readyNow = new ArrayList<>();
    private final ConnectClock connectClock = new ConnectClock();
    private final EventOutbox outbox = new EventOutbox();
    private boolean waitingForRoom;

    public EventLoopProber(String name, Transport<C> transport) {
        this.name = Objects.requireNonNull(name);
        this.transport = Objects.requireNonNull(transport);
        this.preparer = new InputPreparer(name);
        int id = SEQUENCE.incrementAndGet();
        this.delivery = Schedulers.newSingle("rttpick-" + name + "-delivery-" + id, true);
        this.loopThread = new Thread(this::runLoop, "rttpick-" + name + "-loop-" + id);
        loopThread.setDaemon(true);
        loopThread.start();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Flux<ProbeEvent> events(List<String> addresses, ProbeOptions options) {
        Objects.requireNonNull(addresses, "addresses");
        Objects.requireNonNull(options, "options");
        List<String> inputs = new ArrayList<>(addresses);
        if (closing) {
            return Flux.error(closedError());
        }
        Flux<List<ProbeEvent>> batches = Flux.create(sink -> start(sink, inputs, options), FluxSink.OverflowStrategy.BUFFER);
        // delivery on our own thread, so a slow subscriber never delays a measurement; unbounded,
        // because the run's events are bounded by its input (see ProbeRun). Handed over in
        // batches: one event at a time, the woken delivery thread took the loop's CPU for each
        return batches.publishOn(delivery, Integer.MAX_VALUE).concatMapIterable(batch -> batch);
    }

    private void start(FluxSink<List<ProbeEvent>> sink, List<String> inputs, ProbeOptions options) {
        ProbeRun run = new ProbeRun(sink, options);
        sink.onCancel(() -> {
            run.cancelled = true;
            transport.wakeup();
        });
        sink.onDispose(() -> run.resolving.dispose());
        if (closing) {
            sink.error(closedError());
            return;
        }
        preparer.feed(inputs, run, transport::wakeup);
        newRuns.add(run);
        transport.wakeup();
        if (loopEnded) {
            failNewRuns(); // the loop ended between our check and our add: nobody else will
        }
    }

    @Override
    public void close() {
        closing = true;
        transport.wakeup();
        if (Thread.currentThread() != loopThread) {
            try {
                if (!stopped.await(10, TimeUnit.SECONDS)) {
                    log.warn("prober {}: event loop did not stop within 10 s", name);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void runLoop() {
        try {
            while (!closing) {
                takeNewRuns();
                boolean moreToLaunch = launch();
                endFinishedRuns(); // before waiting: a run may have nothing left to wait for
                long wait = moreToLaunch ? 0 : waitNanos();
                if (wait != 0) {
                    // none held while the loop waits; between batches they may wait for more company
                    outbox.flush();
                }
                transport.poll(wait, this::collectReady);
                completeReady();
                expireDeadlines(System.nanoTime());
                transport.completeCloses(); // the resets go out before anything else is done
                endFinishedRuns();
                transport.completeCloses(); // those of runs cancelled
            }
        } catch (Throwable t) {
            log.error("prober {}: event loop failed", name, t);
            failAll(t);
        } finally {
            shutDown();
        }
    }

    private void takeNewRuns() {
        for (ProbeRun run; (run = newRuns.poll()) != null; ) {
            runs.add(run);
        }
        long now = System.nanoTime();
        for (ProbeRun run : runs) {
            run.drainIncoming();
            run.releaseDue(now);
        }
    }

    /** Launches up to one batch, round-robin over runs; true if more could go at once. */
    private boolean launch() {
        int launched = 0;
        boolean progress = true;
        while (progress && launched < LAUNCH_BATCH && !waitingForRoom) {
            progress = false;
            for (int i = 0; i < runs.size() && launched < LAUNCH_BATCH && !waitingForRoom; i++) {
                ProbeRun run = runs.get(i);
                if (run.canLaunchNext(System.nanoTime())) {
                    launchNext(run);
                    launched++;
                    progress = true;
                }
            }
        }
        if (waitingForRoom || launched < LAUNCH_BATCH) {
            return false;
        }
        long now = System.nanoTime();
        for (ProbeRun run : runs) {
            if (run.canLaunchNext(now)) {
                return true;
            }
        }
        return false;
    }

    private void launchNext(ProbeRun run) {
        Object next = run.pending.poll();
        if (next instanceof RttSample) {
            outbox.add(run, new ProbeEvent.Completed((RttSample) next));
            return;
        }
        Target target = (Target) next;
        Instant startedAt = Instant.now();
        long before = System.nanoTime();
        run.connectLaunched(before);
        connectClock.reset(before);
        C connection;
        try {
            connection = transport.connect(target.socketAddress, run.options, connectClock);
        } catch (NoRoomException e) {
            if (inFlight.isEmpty()) {
                // nothing will free room: waiting would wait forever
                emitStartedAndCompleted(run, target, startedAt,
                        AttemptResult.failed(Outcome.ERROR, e.getMessage()));
            } else {
                log.debug("prober {}: no room for {} ({}); waiting for an attempt to end", name, target.address, e.getMessage());
                run.pending.addFirst(target);
                waitingForRoom = true;
            }
            return;
        } catch (AttemptFailedException e) {
            emitStartedAndCompleted(run, target, startedAt, AttemptResult.failed(e.outcome(), e.getMessage()));
            return;
        } catch (RuntimeException e) {
            emitStartedAndCompleted(run, target, startedAt, AttemptResult.failed(Outcome.ERROR, String.valueOf(e)));
            return;
        }
        long start = connectClock.nanos();
        Attempt<C> attempt = new Attempt<>(run, target, connection, startedAt, start, start + run.timeoutNanos);
        inFlight.put(connection, attempt);
        run.byDeadline.addLast(attempt);
        run.inFlight++;
        outbox.add(run, started(target, startedAt));
    }

    private void emitStartedAndCompleted(ProbeRun run, Target target, Instant startedAt, AttemptResult result) {
        outbox.add(run, started(target, startedAt));
        run.inFlight++;
        finish(run, target, startedAt, result);
    }

    private static ProbeEvent.Started started(Target target, Instant startedAt) {
        return new ProbeEvent.Started(target.index, target.attempt, target.address, target.socketAddress, startedAt);
    }

    /** Until the next deadline, rate-capped connect or spaced sample; -1: until something happens. */
    private long waitNanos() {
        if (!newRuns.isEmpty()) {
            return 0;
        }
        long now = System.nanoTime();
        long wait = -1;
        for (ProbeRun run : runs) {
            Attempt<C> first = soonestUnfinished(run);
            if (first != null) {
                wait = sooner(wait, Math.max(0, first.deadlineNanos - now));
            }
            wait = sooner(wait, run.waitForRateNanos(now));
            wait = sooner(wait, run.waitForSpacingNanos(now));
        }
        return wait;
    }

    /** The shorter of two waits, where -1 means none. */
    private static long sooner(long a, long b) {
        return a < 0 ? b : b < 0 ? a : Math.min(a, b);
    }

    private void collectReady(C connection, long readyNanos) {
        Attempt<C> attempt = inFlight.remove(connection);
        if (attempt != null) {
            attempt.readyNanos = readyNanos;
            readyNow.add(attempt);
        }
    }

    private void completeReady() {
        for (Attempt<C> attempt : readyNow) {
            attempt.done = true;
            AttemptResult result;
            try {
                result = transport.finish(attempt.connection, attempt.startNanos, attempt.readyNanos);
            } catch (RuntimeException e) {
                result = AttemptResult.failed(Outcome.ERROR, String.valueOf(e));
            }
            if (attempt.readyNanos - attempt.startNanos > attempt.run.timeoutNanos) {
                // the answer came, but after the deadline the caller set
                result = AttemptResult.failed(Outcome.TIMEOUT, ErrorTexts.TIMEOUT);
            }
            finish(attempt.run, attempt.target, attempt.startedAt, result);
        }
        readyNow.clear();
    }

    private void expireDeadlines(long now) {
        for (int i = 0; i < runs.size(); i++) {
            ProbeRun run = runs.get(i);
            Attempt<C> first;
            while ((first = soonestUnfinished(run)) != null && first.deadlineNanos <= now) {
                run.byDeadline.poll();
                first.done = true;
                inFlight.remove(first.connection);
                abortQuietly(first.connection);
                finish(run, first.target, first.startedAt, AttemptResult.failed(Outcome.TIMEOUT, ErrorTexts.TIMEOUT));
            }
        }
    }

    /** The run's unfinished attempt with the soonest deadline, dropping finished ones before it; null if none. */
    @SuppressWarnings("unchecked")
    private Attempt<C> soonestUnfinished(ProbeRun run) {
        Attempt<C> first;
        while ((first = (Attempt<C>) run.byDeadline.peek()) != null && first.done) {
            run.byDeadline.poll();
        }
        return first;
    }

    private void finish(ProbeRun run, Target target, Instant startedAt, AttemptResult result) {
        run.inFlight--;
        waitingForRoom = false;
        if (run.cancelled) {
            return;
        }
        RttSample.Builder sample = RttSample.builder(target.index, target.address)
                .attempt(target.attempt)
                .endpoint(target.endpoint)
                .resolved(target.socketAddress)
                .startedAt(startedAt)
                .prober(name)
                .details(result.details());
        if (result.outcome() == Outcome.OK) {
            sample.ok(result.rttMicros(), result.timing(), result.handshake());
        } else {
            sample.failed(result.outcome(), result.error()).handshake(result.handshake());
        }
        outbox.add(run, new ProbeEvent.Completed(sample.build()));
        if (target.attempt + 1 < run.options.samplesPerEndpoint()) {
            run.nextAttempt(target.nextAttempt(), System.nanoTime());
        }
    }

    private void endFinishedRuns() {
        for (Iterator<ProbeRun> it = runs.iterator(); it.hasNext(); ) {
            ProbeRun run = it.next();
            if (run.cancelled) {
                abortAttemptsOf(run);
                it.remove();
            } else if (run.isDone()) {
                outbox.flush(); // the run's events before its completion
                run.sink.complete();
                it.remove();
            }
        }
    }

    private void abortAttemptsOf(ProbeRun run) {
        for (Iterator<Attempt<C>> it = inFlight.values().iterator(); it.hasNext(); ) {
            Attempt<C> attempt = it.next();
            if (attempt.run == run) {
                it.remove();
                attempt.done = true;
                abortQuietly(attempt.connection);
            }
        }
        run.clearQueues();
        run.inFlight = 0;
        waitingForRoom = false;
    }

    private void abortQuietly(C connection) {
        try {
            transport.abort(connection);
        } catch (RuntimeException e) {
            log.warn("prober {}: closing a socket failed", name, e);
        }
    }

    private void failAll(Throwable cause) {
        outbox.flush();
        for (ProbeRun run : runs) {
            abortAttemptsOf(run);
            run.sink.error(cause);
        }
        runs.clear();
    }

    private void shutDown() {
        try {
            failAll(closedError());
            loopEnded = true;
            failNewRuns();
            transport.close();
        } catch (RuntimeException e) {
            log.warn("prober {}: releasing the transport failed", name, e);
        } finally {
            // queued behind the deliveries already scheduled (one thread, first in first out), so every
            // run still gets its last events; disposeGracefully() would leave a non-daemon waiter
            // thread of Reactor's behind for 10 s, holding a plain main() open after close()
            try {
                delivery.schedule(delivery::dispose);
            } catch (RejectedExecutionException alreadyStopped) {
                log.debug("prober {}: delivery thread already stopped", name);
            }
            stopped.countDown();
        }
    }

    private void failNewRuns() {
        for (ProbeRun run; (run = newRuns.poll()) != null; ) {
            run.resolving.dispose();
            run.sink.error(closedError());
        }
    }

    private IllegalStateException closedError() {
        return new IllegalStateException("prober " + name + " is closed");
    }

    /** One connect in flight. */
    private static final class Attempt<C> {
        final ProbeRun run;
        final Target target;
        final C connection;
        final Instant startedAt;
        final long startNanos;
        final long deadlineNanos;
        long readyNanos;
        boolean done;

        Attempt(ProbeRun run, Target target, C connection, Instant startedAt, long startNanos, long deadlineNanos) {
            this.run = run;
            this.target = target;
            this.connection = connection;
            this.startedAt = startedAt;
            this.startNanos = startNanos;
            this.deadlineNanos = deadlineNanos;
        }
    }
}

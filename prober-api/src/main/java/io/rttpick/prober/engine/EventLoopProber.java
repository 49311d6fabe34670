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
import io.rttpick.prober.spi.EngineClock;
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
    private final EngineClock clock;
    private final InputPreparer preparer;
    private final Thread loopThread;
    private final Scheduler delivery;
    private final Queue<ProbeRun<C>> newRuns = new ConcurrentLinkedQueue<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closing;
    private volatile boolean loopEnded;

    // event-loop thread only
    private final List<ProbeRun<C>> runs = new ArrayList<>();
    private final Map<C, Attempt<C>> inFlight = new HashMap<>();
    private final List<Attempt<C>> readyNow = new ArrayList<>();
    private final ConnectClock connectClock;
    private final EventOutbox outbox = new EventOutbox();
    private boolean waitingForRoom;

    public EventLoopProber(String name, Transport<C> transport) {
        this(name, transport, EngineClock.system());
    }

    /**
     * On {@code clock}: every time the engine reads (deadlines, rate caps, spacing, the start of an
     * attempt) is read there. A virtual clock needs a transport that answers on it.
     */
    public EventLoopProber(String name, Transport<C> transport, EngineClock clock) {
        this.name = Objects.requireNonNull(name);
        this.transport = Objects.requireNonNull(transport);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.connectClock = new ConnectClock(clock);
        this.preparer = new InputPreparer(name, clock);
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
        ProbeRun<C> run = new ProbeRun<>(sink, options);
        sink.onCancel(() -> {
            run.cancel();
            transport.wakeup();
        });
        sink.onDispose(run::stopResolving);
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
                expireDeadlines(clock.nanoTime());
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
        for (ProbeRun<C> run; (run = newRuns.poll()) != null; ) {
            runs.add(run);
        }
        long now = clock.nanoTime();
        for (ProbeRun<C> run : runs) {
            run.takeInput(now);
        }
    }

    /** Launches up to one batch, round-robin over runs; true if more could go at once. */
    private boolean launch() {
        int launched = 0;
        boolean progress = true;
        while (progress && launched < LAUNCH_BATCH && !waitingForRoom) {
            progress = false;
            for (int i = 0; i < runs.size() && launched < LAUNCH_BATCH && !waitingForRoom; i++) {
                ProbeRun<C> run = runs.get(i);
                if (run.canLaunchNext(clock.nanoTime())) {
                    launchNext(run);
                    launched++;
                    progress = true;
                }
            }
        }
        if (waitingForRoom || launched < LAUNCH_BATCH) {
            return false;
        }
        long now = clock.nanoTime();
        for (ProbeRun<C> run : runs) {
            if (run.canLaunchNext(now)) {
                return true;
            }
        }
        return false;
    }

    private void launchNext(ProbeRun<C> run) {
        RunInput next = run.takeNext();
        if (next instanceof ReadySample) {
            outbox.add(run, new ProbeEvent.Completed(((ReadySample) next).sample));
            return;
        }
        Target target = (Target) next;
        Instant startedAt = clock.wallTime();
        long before = clock.nanoTime();
        run.connectIssued(before);
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
                run.waitForRoom(target);
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
        Attempt<C> attempt = new Attempt<>(run, target, connection, startedAt, connectClock.nanos());
        inFlight.put(connection, attempt);
        run.launched(attempt);
        outbox.add(run, started(target, startedAt));
    }

    /** An attempt that failed at its connect call: it never took room in flight. */
    private void emitStartedAndCompleted(ProbeRun<C> run, Target target, Instant startedAt, AttemptResult result) {
        outbox.add(run, started(target, startedAt));
        emitSample(run, target, startedAt, result);
    }

    private static ProbeEvent.Started started(Target target, Instant startedAt) {
        return new ProbeEvent.Started(target.index, target.attempt, target.address, target.socketAddress, startedAt);
    }

    /** Until the next deadline, rate-capped connect or spaced sample; -1: until something happens. */
    private long waitNanos() {
        if (!newRuns.isEmpty()) {
            return 0;
        }
        long now = clock.nanoTime();
        long wait = -1;
        for (ProbeRun<C> run : runs) {
            wait = ProbeRun.sooner(wait, run.nanosUntilDue(now));
        }
        return wait;
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
            attempt.run.ended(attempt);
            AttemptResult result;
            try {
                result = transport.finish(attempt.connection, attempt.startNanos, attempt.readyNanos);
            } catch (RuntimeException e) {
                result = AttemptResult.failed(Outcome.ERROR, String.valueOf(e));
            }
            if (attempt.answeredLate()) {
                result = AttemptResult.failed(Outcome.TIMEOUT, ErrorTexts.TIMEOUT);
            }
            attemptEnded(attempt, result);
        }
        readyNow.clear();
    }

    private void expireDeadlines(long now) {
        for (int i = 0; i < runs.size(); i++) {
            ProbeRun<C> run = runs.get(i);
            for (Attempt<C> expired; (expired = run.takeExpired(now)) != null; ) {
                inFlight.remove(expired.connection);
                abortQuietly(expired.connection);
                attemptEnded(expired, AttemptResult.failed(Outcome.TIMEOUT, ErrorTexts.TIMEOUT));
            }
        }
    }

    /** An attempt in flight ended (its run already knows): room is free, its sample goes out. */
    private void attemptEnded(Attempt<C> attempt, AttemptResult result) {
        waitingForRoom = false;
        emitSample(attempt.run, attempt.target, attempt.startedAt, result);
    }

    private void emitSample(ProbeRun<C> run, Target target, Instant startedAt, AttemptResult result) {
        if (run.isCancelled()) {
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
        run.sampleEnded(target, clock.nanoTime());
    }

    private void endFinishedRuns() {
        for (Iterator<ProbeRun<C>> it = runs.iterator(); it.hasNext(); ) {
            ProbeRun<C> run = it.next();
            if (run.isCancelled()) {
                abortAttemptsOf(run);
                it.remove();
            } else if (run.isDone()) {
                outbox.flush(); // the run's events before its completion
                run.complete();
                it.remove();
            }
        }
    }

    private void abortAttemptsOf(ProbeRun<C> run) {
        for (Attempt<C> attempt : run.abandon()) {
            inFlight.remove(attempt.connection);
            abortQuietly(attempt.connection);
        }
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
        for (ProbeRun<C> run : runs) {
            abortAttemptsOf(run);
            run.fail(cause);
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
        for (ProbeRun<C> run; (run = newRuns.poll()) != null; ) {
            run.stopResolving();
            run.fail(closedError());
        }
    }

    private IllegalStateException closedError() {
        return new IllegalStateException("prober " + name + " is closed");
    }
}

package io.rttpick.prober.engine;

import java.time.Instant;

/** One connect in flight, from the call that issued it to its answer, deadline or abort. Event-loop thread only. */
final class Attempt<C> {
    final ProbeRun<C> run;
    final Target target;
    final C connection;
    final Instant startedAt;
    final long startNanos;
    final long deadlineNanos;
    long readyNanos;
    /** Answered, expired or aborted: it stays in its run's deadline queue until it reaches the head. */
    boolean done;

    Attempt(ProbeRun<C> run, Target target, C connection, Instant startedAt, long startNanos) {
        this.run = run;
        this.target = target;
        this.connection = connection;
        this.startedAt = startedAt;
        this.startNanos = startNanos;
        this.deadlineNanos = startNanos + run.timeoutNanos;
    }

    /** True when the answer came after the deadline the caller set. */
    boolean answeredLate() {
        return readyNanos - startNanos > run.timeoutNanos;
    }
}

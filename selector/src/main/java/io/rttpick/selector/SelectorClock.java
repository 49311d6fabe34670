package io.rttpick.selector;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Where the selectors read time and run timers. By default time is {@link System#nanoTime()}
 * (a scheduler's own clock is wall time in milliseconds) and timers run on
 * {@link Schedulers#parallel()}; tests give a virtual-time scheduler for both. A ticker, when
 * given, is where time is read.
 */
final class SelectorClock {
    private final Supplier<Scheduler> scheduler;
    private final LongSupplier ticker;

    /**
     * @param scheduler the scheduler for time and timers, or null for the defaults
     * @param ticker where time is read, or null for the scheduler's (or {@link System#nanoTime()})
     */
    SelectorClock(Supplier<Scheduler> scheduler, LongSupplier ticker) {
        this.scheduler = scheduler;
        this.ticker = ticker;
    }

    long nowNanos() {
        if (ticker != null) {
            return ticker.getAsLong();
        }
        return scheduler == null ? System.nanoTime() : scheduler.get().now(TimeUnit.NANOSECONDS);
    }

    Scheduler timers() {
        return scheduler == null ? Schedulers.parallel() : scheduler.get();
    }
}

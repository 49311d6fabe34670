package io.rttpick.serve;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A warning that anyone who reaches serve can cause (a web page's refused request), written at
 * most once per interval with how many were left out since: a page that sends a thousand requests
 * a second cannot fill the user's terminal.
 */
final class ThrottledLog {
    private final long intervalNanos;
    private final LongSupplier clock;
    private final Consumer<String> sink;
    private final AtomicLong lastNanos = new AtomicLong(Long.MIN_VALUE);
    private final AtomicInteger skipped = new AtomicInteger();

    ThrottledLog(long interval, TimeUnit unit, LongSupplier clock, Consumer<String> sink) {
        this.intervalNanos = unit.toNanos(interval);
        this.clock = clock;
        this.sink = sink;
    }

    void log(String message) {
        long now = clock.getAsLong();
        long last = lastNanos.get();
        if (last != Long.MIN_VALUE && now - last < intervalNanos || !lastNanos.compareAndSet(last, now)) {
            skipped.incrementAndGet();
            return;
        }
        int more = skipped.getAndSet(0);
        sink.accept(message + (more == 0 ? "" : " (and " + more + " more like it since the last such line)"));
    }
}

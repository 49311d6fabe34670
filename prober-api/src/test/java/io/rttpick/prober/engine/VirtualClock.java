package io.rttpick.prober.engine;

import io.rttpick.prober.spi.EngineClock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** An {@link EngineClock} that moves only when told: the wall clock is the epoch plus its nanos. */
final class VirtualClock implements EngineClock {
    private final AtomicLong nanos = new AtomicLong();

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    @Override
    public Instant wallTime() {
        return Instant.EPOCH.plusNanos(nanos.get());
    }

    void advanceTo(long toNanos) {
        nanos.accumulateAndGet(toNanos, Math::max);
    }

    long millis() {
        return nanos.get() / 1_000_000;
    }
}

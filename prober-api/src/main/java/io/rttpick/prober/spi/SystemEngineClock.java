package io.rttpick.prober.spi;

import java.time.Instant;

/** {@link EngineClock#system()}. */
final class SystemEngineClock implements EngineClock {
    static final SystemEngineClock INSTANCE = new SystemEngineClock();

    private SystemEngineClock() {
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Instant wallTime() {
        return Instant.now();
    }
}

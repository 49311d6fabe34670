package io.rttpick.prober.spi;

import java.util.Objects;

/**
 * Where a transport notes the instant it issues the {@code connect} system call, after the
 * socket's set-up: the attempt's RTT and deadline count from there. Event-loop thread only.
 */
public final class ConnectClock {
    private final EngineClock clock;
    private long nanos;

    /** On the system's clock. */
    public ConnectClock() {
        this(EngineClock.system());
    }

    /** On the engine's clock, so that a virtual engine's attempts are timed virtually too. */
    public ConnectClock(EngineClock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Call right before the connect call. */
    public void mark() {
        nanos = clock.nanoTime();
    }

    /** The engine's: before each attempt, the instant to count from if the transport never marks. */
    public void reset(long fallbackNanos) {
        nanos = fallbackNanos;
    }

    /** The engine's: the instant marked. */
    public long nanos() {
        return nanos;
    }
}

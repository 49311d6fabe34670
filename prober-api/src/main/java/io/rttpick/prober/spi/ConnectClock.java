package io.rttpick.prober.spi;

/**
 * Where a transport notes the instant it issues the {@code connect} system call, after the
 * socket's set-up: the attempt's RTT and deadline count from there. Event-loop thread only.
 */
public final class ConnectClock {
    private long nanos;

    /** Call right before the connect call. */
    public void mark() {
        nanos = System.nanoTime();
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

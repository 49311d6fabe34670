package io.rttpick.grpc;

import java.util.function.DoubleSupplier;

/**
 * grpc's connection backoff (its {@code ExponentialBackoffPolicy}, the gRPC connection-backoff
 * spec): 1 s first, each next 1.6 times the last up to 120 s, each drawn within +-20 % of its
 * value, so that many clients failing together do not come back in lockstep.
 */
final class Backoff {
    static final long INITIAL_MILLIS = 1_000;
    static final double MULTIPLIER = 1.6;
    static final double JITTER = 0.2;
    static final long MAX_MILLIS = 120_000;

    private final DoubleSupplier uniform;
    private double next = INITIAL_MILLIS;

    /** @param uniform draws from [0, 1) */
    Backoff(DoubleSupplier uniform) {
        this.uniform = uniform;
    }

    /** The next wait, in milliseconds; the one after it grows. */
    long nextMillis() {
        double current = next;
        next = Math.min(current * MULTIPLIER, MAX_MILLIS);
        return Math.round(current * (1 - JITTER + 2 * JITTER * uniform.getAsDouble()));
    }

    /** A connection was made: the next failure waits the first wait again. */
    void reset() {
        next = INITIAL_MILLIS;
    }
}

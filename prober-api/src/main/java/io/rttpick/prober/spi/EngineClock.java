package io.rttpick.prober.spi;

import java.time.Instant;

/**
 * Where the probe engine reads the time: monotonic nanoseconds for RTTs, deadlines, rate caps and
 * spacing, and the wall clock for a sample's start instant. The system's by default; tests give
 * the engine a virtual one (as grpc-java's {@code Ticker} or OkHttp's task clock), together with a
 * transport that answers on the same clock.
 */
public interface EngineClock {

    /** Monotonic, as {@link System#nanoTime()}: only differences mean anything. */
    long nanoTime();

    /** Now, on the wall clock. */
    Instant wallTime();

    /** The system's clocks. */
    static EngineClock system() {
        return SystemEngineClock.INSTANCE;
    }
}

package io.rttpick.serve;

import java.util.ArrayDeque;
import java.util.concurrent.Semaphore;
import java.util.function.LongSupplier;

/**
 * The caps on probing on request: addresses per call, calls in flight, calls per minute. A call
 * over a cap is refused before any probe is sent.
 */
final class PingLimits {
    private static final long MINUTE_NANOS = 60_000_000_000L;

    final int maxAddresses;
    private final int maxInFlight;
    private final int maxPerMinute;
    private final Semaphore inFlight;
    private final ArrayDeque<Long> recentCalls = new ArrayDeque<>();
    private final LongSupplier clock;

    PingLimits(int maxAddresses, int maxInFlight, int maxPerMinute, LongSupplier clock) {
        this.maxAddresses = maxAddresses;
        this.maxInFlight = maxInFlight;
        this.maxPerMinute = maxPerMinute;
        this.inFlight = new Semaphore(maxInFlight);
        this.clock = clock;
    }

    void checkCount(String method, int addresses) {
        if (addresses > maxAddresses) {
            throw RpcException.invalidParams(method + ": " + addresses + " addresses in one call; the cap is "
                    + maxAddresses + " (serve --max-addresses)");
        }
    }

    /** Takes a place for one call; the caller must {@link #release()} it. */
    void acquire(String method) {
        synchronized (recentCalls) {
            long now = clock.getAsLong();
            while (!recentCalls.isEmpty() && now - recentCalls.peekFirst() >= MINUTE_NANOS) {
                recentCalls.pollFirst();
            }
            if (recentCalls.size() >= maxPerMinute) {
                throw new RpcException(RpcException.LIMITED, method + ": more than " + maxPerMinute
                        + " calls in a minute (serve --max-calls-per-minute); try again later");
            }
            if (!inFlight.tryAcquire()) {
                throw new RpcException(RpcException.LIMITED, method + ": " + maxInFlight
                        + " calls already in flight (serve --max-calls-in-flight); try again when one has ended");
            }
            recentCalls.addLast(now);
        }
    }

    void release() {
        inFlight.release();
    }
}

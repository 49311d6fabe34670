package io.rttpick.serve;

import java.util.ArrayDeque;
import java.util.function.LongSupplier;

/**
 * One budget of probe attempts per minute (addresses x samples) shared by every method that
 * probes, so that no sequence of calls (adds, pins, refreshes, pings, batches of them) sends
 * more than the cap: a sliding window of the last minute's spending.
 */
final class ProbeBudget {
    private static final long MINUTE_NANOS = 60_000_000_000L;

    private final int perMinute;
    private final LongSupplier clock;
    /** Pairs of (time, attempts) spent in the last minute, oldest first. */
    private final ArrayDeque<long[]> spent = new ArrayDeque<>();
    private int inWindow;

    ProbeBudget(int perMinute, LongSupplier clock) {
        this.perMinute = perMinute;
        this.clock = clock;
    }

    int perMinute() {
        return perMinute;
    }

    /** Spends {@code attempts} if the last minute leaves room for them all; else spends nothing. */
    synchronized boolean tryTake(int attempts) {
        long now = clock.getAsLong();
        while (!spent.isEmpty() && now - spent.peekFirst()[0] >= MINUTE_NANOS) {
            inWindow -= (int) spent.pollFirst()[1];
        }
        if (attempts > perMinute - inWindow) {
            return false;
        }
        if (attempts > 0) {
            spent.addLast(new long[] {now, attempts});
            inWindow += attempts;
        }
        return true;
    }

    synchronized int left() {
        tryTake(0);
        return perMinute - inWindow;
    }
}

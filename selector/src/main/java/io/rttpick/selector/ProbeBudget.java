package io.rttpick.selector;

import java.time.Duration;

/**
 * How much the fleet selector may probe on its own, for the phone's radio and the user's privacy
 * (each probe shows the user's address to the servers it reaches). Immutable; each method returns
 * a changed copy. The user opening the server list is always served, and counted.
 *
 * <p>Defaults ({@link #defaults()}), a starting point: at most 12 probe rounds an hour, at most 3
 * servers per confirmation on a known network, at most one full probe per network per hour.
 */
public final class ProbeBudget {
    private final int maxRoundsPerHour;
    private final int confirmTop;
    private final Duration fullProbeInterval;

    private ProbeBudget(int maxRoundsPerHour, int confirmTop, Duration fullProbeInterval) {
        this.maxRoundsPerHour = maxRoundsPerHour;
        this.confirmTop = confirmTop;
        this.fullProbeInterval = fullProbeInterval;
    }

    public static ProbeBudget defaults() {
        return new ProbeBudget(12, 3, Duration.ofHours(1));
    }

    /** No limit of its own (the rate limit and {@code probePermit} still apply): the fleet selector without memory. */
    static ProbeBudget unlimited() {
        return new ProbeBudget(Integer.MAX_VALUE, 3, Duration.ZERO);
    }

    /** Probe rounds (full probes and confirmations) in any hour; at least 1. */
    public ProbeBudget maxRoundsPerHour(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("maxRoundsPerHour must be at least 1, got " + n);
        }
        return new ProbeBudget(n, confirmTop, fullProbeInterval);
    }

    /** Servers a confirmation on a known network probes: the remembered best k, the current one among them; at least 1. */
    public ProbeBudget confirmTop(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("confirmTop must be at least 1, got " + k);
        }
        return new ProbeBudget(maxRoundsPerHour, k, fullProbeInterval);
    }

    /** At most one full probe per network per this interval (default 1 h; zero: no limit). */
    public ProbeBudget fullProbeInterval(Duration d) {
        return new ProbeBudget(maxRoundsPerHour, confirmTop, DurationCheck.notNegative("fullProbeInterval", d));
    }

    public int maxRoundsPerHour() {
        return maxRoundsPerHour;
    }

    public int confirmTop() {
        return confirmTop;
    }

    public Duration fullProbeInterval() {
        return fullProbeInterval;
    }

    @Override
    public String toString() {
        return "ProbeBudget[" + maxRoundsPerHour + " rounds/h, confirm top " + confirmTop + ", a full probe per network per "
                + fullProbeInterval + "]";
    }
}

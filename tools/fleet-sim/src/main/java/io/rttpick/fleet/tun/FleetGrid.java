package io.rttpick.fleet.tun;

import java.time.Duration;

/** Large plans: thousands of open servers with delays spread over 1..300 ms. */
public final class FleetGrid {
    public static final int MAX_SERVERS = 40_000;

    private FleetGrid() {
    }

    /** The address of grid server {@code i}: 198.18.32.0 onwards, clear of the seed fleet. */
    public static String address(int i) {
        if (i < 0 || i >= MAX_SERVERS) {
            throw new IllegalArgumentException("grid server " + i + " out of 0.." + (MAX_SERVERS - 1));
        }
        return "198.18." + (32 + i / 256) + "." + (i % 256);
    }

    /** Its delay: 1..300 ms, spread evenly and deterministically. */
    public static Duration delay(int i) {
        return Duration.ofMillis(1 + (i * 7919L) % 300);
    }

    /** {@code n} open servers. */
    public static FleetPlan plan(int n) {
        FleetPlan plan = new FleetPlan();
        for (int i = 0; i < n; i++) {
            plan.add("grid-" + i, address(i), FleetPlan.Mode.OPEN, delay(i));
        }
        return plan;
    }
}

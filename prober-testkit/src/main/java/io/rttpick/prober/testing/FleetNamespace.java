package io.rttpick.prober.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Whether this JVM runs inside the simulated fleet's network namespace (set up by
 * tools/fleet-sim/netns-run, or a surefire run whose {@code jvm} is tools/fleet-sim/netns-jvm). Where the fleet
 * cannot be had, tests skip with the reason; under CI=true they fail instead, because CI is root
 * and a skipped fleet test there would hide a broken set-up.
 */
public final class FleetNamespace {
    private FleetNamespace() {
    }

    /** The TUN device to attach to; skips or fails the test when there is none. */
    public static String requireDevice() {
        String device = System.getenv("RTTPICK_FLEET_DEVICE");
        if (device != null) {
            return device;
        }
        String why = System.getenv("RTTPICK_FLEET_UNAVAILABLE");
        skipOrFail("the simulated fleet is unavailable: " + (why != null ? why
                : "this JVM was not started through tools/fleet-sim/netns-run (run the tests with mvn)"));
        return null;
    }

    /**
     * Ends a test that lacks what it needs (the fleet, a browser, a program CI installs): a skip
     * with the reason, or under CI=true a failure, because CI installs everything and a skip there
     * would hide a broken set-up.
     */
    public static void skipOrFail(String reason) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(reason + " (CI=true: this test may not skip)");
        }
        assumeTrue(false, reason);
    }
}

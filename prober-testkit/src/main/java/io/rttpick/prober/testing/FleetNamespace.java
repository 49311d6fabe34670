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
        String reason = "the simulated fleet is unavailable: " + (why != null ? why
                : "this JVM was not started through tools/fleet-sim/netns-run (run the tests with mvn)");
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(reason + " (CI=true: a fleet test may not skip)");
        }
        assumeTrue(false, reason);
        return null;
    }
}

package io.rttpick.fleettests;

import io.rttpick.prober.testing.FleetNamespace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rttpick.fleet.tun.FleetPlan;
import io.rttpick.fleet.tun.FleetPlan.Mode;
import io.rttpick.fleet.tun.TunFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * While a fleet runs, the process's other threads keep off its CPU (the last one), and get it
 * back when the fleet stops. Once this silently did nothing: the CPU count was taken after the
 * fleet's thread was pinned, when the JVM counts one.
 */
class FleetCpuOnFleetTest {
    @Test
    void theClientsThreadsKeepOffTheFleetsCpuWhileItRuns() throws Exception {
        String device = FleetNamespace.requireDevice();
        int cpus = Runtime.getRuntime().availableProcessors();
        assumeTrue(cpus >= 2, "one CPU: nothing to keep apart");
        String all = allowedCpus();
        String others = cpus == 2 ? "0" : "0-" + (cpus - 2);
        FleetPlan plan = new FleetPlan().add("open", "198.18.30.1", Mode.OPEN, Duration.ofMillis(1));
        TunFleet fleet = TunFleet.start(plan, device);
        try {
            assertEquals(others, awaitAllowedCpus(others), "this thread's CPUs while the fleet runs");
        } finally {
            fleet.close();
        }
        assertEquals(all, awaitAllowedCpus(all), "this thread's CPUs after the fleet stopped");
    }

    /** The calling thread's allowed CPUs once they are {@code expected}, or as they are after 3 s. */
    private static String awaitAllowedCpus(String expected) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        String now = allowedCpus();
        while (!now.equals(expected) && System.nanoTime() < end) {
            Thread.sleep(20);
            now = allowedCpus();
        }
        return now;
    }

    private static String allowedCpus() throws Exception {
        return Files.readAllLines(Path.of("/proc/thread-self/status")).stream()
                .filter(l -> l.startsWith("Cpus_allowed_list:"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim())
                .findFirst().orElseThrow();
    }
}

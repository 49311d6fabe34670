package io.rttpick.fleettests;

import io.rttpick.prober.testing.FleetNamespace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.fleet.tun.FleetPlan;
import io.rttpick.fleet.tun.FleetPlan.Mode;
import io.rttpick.fleet.tun.TunFleet;
import io.rttpick.prober.Outcome;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.prober.RttSample;
import io.rttpick.prober.linux.LinuxEpollProberProvider;
import io.rttpick.prober.testing.OpenFiles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * 100,000 linux-epoll probes mixing every outcome (answered, refused, silent, unreachable,
 * invalid, and a run cancelled half-way): afterwards the process has exactly the descriptors it
 * had before.
 */
class FdHygieneOnFleetTest {
    private static final int PROBES = 100_000;

    @Test
    void everyDescriptorIsClosedAfterAHundredThousandProbes() throws Exception {
        String device = FleetNamespace.requireDevice();
        FleetPlan plan = new FleetPlan();
        for (int i = 0; i < 10; i++) {
            plan.add("open-" + i, "198.18.20." + i, Mode.OPEN, Duration.ofMillis(1 + i * 3));
            plan.add("closed-" + i, "198.18.21." + i, Mode.CLOSED, Duration.ofMillis(2));
            plan.add("silent-" + i, "198.18.22." + i, Mode.BLACKHOLE, Duration.ZERO);
            plan.add("unreachable-" + i, "198.18.23." + i, Mode.UNREACHABLE, Duration.ofMillis(2), Duration.ZERO,
                    FleetPlan.Unreachable.HOST);
        }
        try (TunFleet fleet = TunFleet.start(plan, device);
             Prober prober = new LinuxEpollProberProvider().create()) {
            ProbeOptions options = ProbeOptions.builder().timeout(Duration.ofMillis(100)).maxInFlight(2_000).build();
            prober.probe(List.of("198.18.20.0:1"), options).blockLast(Duration.ofSeconds(10)); // warm, then count
            int before = OpenFiles.count();

            List<String> addresses = new ArrayList<>(PROBES);
            for (int i = 0; i < PROBES; i++) {
                int port = 1 + i % 60_000;
                switch (i % 10) {
                    case 0: case 1: case 2: case 3:
                        addresses.add("198.18.20." + (i / 10 % 10) + ":" + port);
                        break;
                    case 4: case 5:
                        addresses.add("198.18.21." + (i / 10 % 10) + ":" + port);
                        break;
                    case 6: case 7:
                        addresses.add("198.18.22." + (i / 10 % 10) + ":" + port);
                        break;
                    case 8:
                        addresses.add("198.18.23." + (i / 10 % 10) + ":" + port);
                        break;
                    default:
                        addresses.add("198.18.20.1:" + (70_000 + i)); // invalid port
                }
            }
            Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
            int half = PROBES / 2;
            for (RttSample s : prober.probe(addresses.subList(0, half), options).toIterable()) {
                outcomes.merge(s.outcome(), 1, Integer::sum);
            }
            // the second half is cancelled while thousands are in flight
            prober.probe(addresses.subList(half, PROBES), options).take(half / 4).blockLast(Duration.ofMinutes(2));

            int after = OpenFiles.awaitCount(n -> n <= before, Duration.ofSeconds(10));
            assertTrue(after <= before, "descriptors: " + before + " before " + PROBES + " probes, " + after + " after");
            assertEquals(half, outcomes.values().stream().mapToInt(Integer::intValue).sum());
            for (Outcome o : List.of(Outcome.OK, Outcome.REFUSED, Outcome.TIMEOUT, Outcome.UNREACHABLE, Outcome.INVALID)) {
                assertTrue(outcomes.getOrDefault(o, 0) > 0, "no " + o + " among " + outcomes);
            }
            assertTrue(fleet.records().size() > half, "the fleet saw " + fleet.records().size() + " connections");
        }
    }
}

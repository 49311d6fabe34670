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
import io.rttpick.prober.connect.ConnectProberProvider;
import io.rttpick.prober.linux.LinuxEpollProberProvider;
import io.rttpick.prober.spi.ProberProvider;
import io.rttpick.prober.testing.OpenFileLimit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Under a lowered descriptor limit, against servers with real delays: probes wait for room
 * (EMFILE is no failure) and every one gets its sample; the fleet saw each open server once.
 */
class FdLimitOnFleetTest {

    @ParameterizedTest
    @ValueSource(strings = {"linux-epoll", "connect"})
    void probesWaitForRoomAndAllGetTheirSample(String name) throws Exception {
        String device = FleetNamespace.requireDevice();
        ProberProvider provider = name.equals("connect") ? new ConnectProberProvider() : new LinuxEpollProberProvider();
        FleetPlan plan = new FleetPlan();
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            plan.add("dead-" + i, "198.18.50." + i, Mode.BLACKHOLE, Duration.ZERO);
            plan.add("open-" + i, "198.18.51." + i, Mode.OPEN, Duration.ofMillis(20 + i));
            inputs.add("198.18.50." + i + ":443");
            inputs.add("198.18.51." + i + ":443");
        }
        try (TunFleet fleet = TunFleet.start(plan, device); Prober prober = provider.create()) {
            ProbeOptions options = ProbeOptions.builder().timeout(Duration.ofMillis(250)).maxInFlight(500).build();
            prober.probe(List.of("198.18.51.0:443"), options).blockLast(Duration.ofSeconds(10)); // warm up
            int warmUpRecords = fleet.records().size();
            // about 15 descriptors to spare: 120 probes, 60 of them holding theirs for the whole timeout
            long started = System.nanoTime();
            List<RttSample> samples = OpenFileLimit.whileLowered(15,
                    () -> prober.probe(inputs, options).collectList().block(Duration.ofSeconds(60)));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            Map<Outcome, Long> outcomes = samples.stream().collect(Collectors.groupingBy(RttSample::outcome, Collectors.counting()));
            assertEquals(Map.of(Outcome.OK, 60L, Outcome.TIMEOUT, 60L), outcomes, () -> samples.stream()
                    .filter(s -> s.outcome() == Outcome.ERROR).map(RttSample::toString).limit(3).collect(Collectors.joining("; ")));
            // some 15 at a time, 250 ms for each silent one: they must have waited for room
            assertTrue(took.compareTo(Duration.ofMillis(750)) > 0, "took only " + took + ": did they really wait?");
            long openSeen = fleet.records().stream().skip(warmUpRecords)
                    .filter(r -> r.server.name.startsWith("open-")).count();
            assertEquals(60, openSeen, "each open server probed once, none lost to EMFILE");
        }
    }
}

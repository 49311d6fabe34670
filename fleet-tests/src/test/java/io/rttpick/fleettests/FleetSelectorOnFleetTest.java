package io.rttpick.fleettests;

import io.rttpick.prober.testing.FleetNamespace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rttpick.fleet.tun.FleetPlan;
import io.rttpick.fleet.tun.TunFleet;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.prober.linux.LinuxEpollProberProvider;
import io.rttpick.selector.FleetChoice;
import io.rttpick.selector.FleetSelector;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fleet selector end to end: a real prober, the simulated seed fleet, real time. */
class FleetSelectorOnFleetTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void picksAmsterdamSendsNothingWhileIdleFailsOverToIowaAtOnceAndNothingWhilePinned() throws Exception {
        String device = FleetNamespace.requireDevice();
        List<String> seed = List.of("198.18.0.29:993", "198.18.1.27:993", "198.18.2.79:993", "198.18.3.1:993");
        try (TunFleet fleet = TunFleet.start(FleetPlan.seed(), device);
             Prober prober = new LinuxEpollProberProvider().create();
             FleetSelector selector = FleetSelector.builder(prober, seed)
                     .probeOptions(ProbeOptions.builder().timeout(Duration.ofMillis(500)).build()).build()) {
            FleetChoice first = selector.trigger(FleetSelector.Trigger.START).block(WAIT);
            assertEquals("198.18.0.29:993", first.server().orElseThrow());
            assertEquals(FleetChoice.Reason.PROBED, first.reason());
            int syns = fleet.records().size();
            Thread.sleep(3_000); // idle: no timer probes behind the client's back
            assertEquals(syns, fleet.records().size(), "idle for 3 s: nothing sent");

            FleetChoice next = selector.reportFailure("198.18.0.29:993").block(WAIT);
            assertEquals("198.18.1.27:993", next.server().orElseThrow());
            assertEquals(FleetChoice.Reason.FAILOVER, next.reason());
            assertEquals(syns, fleet.records().size(), "failover sends no probe");

            selector.pin("198.18.2.79:993").block(WAIT);
            for (FleetSelector.Trigger t : FleetSelector.Trigger.values()) {
                assertEquals("198.18.2.79:993", selector.trigger(t).block(WAIT).server().orElseThrow());
            }
            assertEquals(syns, fleet.records().size(), "pinned: nothing sent");
            assertEquals(1, fleet.records(InetAddress.getByName("198.18.0.29")).size());
        }
    }
}

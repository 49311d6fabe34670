package io.rttpick.fleettests;

import io.rttpick.prober.testing.FleetNamespace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.fleet.tun.FleetPlan;
import io.rttpick.fleet.tun.FleetPlan.Mode;
import io.rttpick.fleet.tun.TunFleet;
import io.rttpick.prober.ProbeEvent;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.prober.RttSample;
import io.rttpick.prober.linux.LinuxEpollProberProvider;
import io.rttpick.selector.Bucket;
import io.rttpick.selector.FleetChoice;
import io.rttpick.selector.FleetSelector;
import io.rttpick.selector.FleetSelector.Trigger;
import io.rttpick.selector.RankedEndpoint;
import io.rttpick.selector.Ranking;
import io.rttpick.selector.RttSelector;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Each scenario of the fleet selector once end to end: the Linux prober against the simulated
 * fleet, in real time. The statistical repetitions replay samples recorded here.
 */
class FleetSelectionScenariosOnFleetTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> SEED = List.of("198.18.0.29:993", "198.18.1.27:993", "198.18.2.79:993", "198.18.3.1:993");

    private static FleetPlan seedWithJitter() {
        Duration j = Duration.ofMillis(10);
        return new FleetPlan()
                .add("Amsterdam", "198.18.0.29", Mode.OPEN, Duration.ofMillis(29), j, FleetPlan.Unreachable.PORT)
                .add("Amsterdam 2", "198.18.0.30", Mode.OPEN, Duration.ofMillis(30), j, FleetPlan.Unreachable.PORT)
                .add("Amsterdam 3", "198.18.0.31", Mode.OPEN, Duration.ofMillis(31), j, FleetPlan.Unreachable.PORT)
                .add("Iowa", "198.18.1.27", Mode.OPEN, Duration.ofMillis(127), j, FleetPlan.Unreachable.PORT)
                .add("Hong Kong", "198.18.2.79", Mode.OPEN, Duration.ofMillis(279), j, FleetPlan.Unreachable.PORT)
                .add("dead", "198.18.3.1", Mode.BLACKHOLE, Duration.ZERO);
    }

    private static Prober linuxProber() {
        return new LinuxEpollProberProvider().create();
    }

    @Test
    void seedFleetWithTenMsJitterAmsterdamEveryTimeAndThreeAmsterdamServersShareTheLoad() throws Exception {
        String device = FleetNamespace.requireDevice();
        List<String> threeDc = List.of("198.18.0.29:993", "198.18.0.30:993", "198.18.0.31:993",
                "198.18.1.27:993", "198.18.2.79:993", "198.18.3.1:993");
        Map<String, List<RttSample>> recorded = new HashMap<>();
        try (TunFleet fleet = TunFleet.start(seedWithJitter(), device); Prober prober = linuxProber()) {
            // end to end once: a real selector on the real fleet
            try (FleetSelector selector = FleetSelector.builder(prober, SEED)
                    .probeOptions(ProbeOptions.builder().timeout(Duration.ofMillis(500)).build()).build()) {
                assertEquals("198.18.0.29:993", selector.trigger(Trigger.START).block(WAIT).server().orElseThrow());
            }
            // record 20 spaced samples of every server for the repetitions
            ProbeOptions record = ProbeOptions.builder().timeout(Duration.ofMillis(500)).samplesPerEndpoint(20)
                    .sampleSpacing(Duration.ofMillis(10)).build();
            for (ProbeEvent e : prober.events(threeDc, record).collectList().block(WAIT)) {
                if (e instanceof ProbeEvent.Completed) {
                    RttSample s = ((ProbeEvent.Completed) e).sample();
                    recorded.computeIfAbsent(s.address(), a -> new java.util.ArrayList<>()).add(s);
                }
            }
        }
        long spread = recorded.get("198.18.0.29:993").stream().mapToLong(s -> s.rttMicros().orElseThrow()).max().orElseThrow()
                - recorded.get("198.18.0.29:993").stream().mapToLong(s -> s.rttMicros().orElseThrow()).min().orElseThrow();
        assertTrue(spread > 5_000, "the fleet's 10 ms jitter shows in the samples: spread " + spread + " us");

        SplittableRandom random = new SplittableRandom(42);
        ReplayProber replay = new ReplayProber(recorded, random.split());
        ProbeOptions one = ProbeOptions.builder().timeout(Duration.ofMillis(500)).build();
        for (int run = 0; run < 1_000; run++) {
            try (FleetSelector s = FleetSelector.builder(replay, SEED).random(random.split()::nextInt).probeOptions(one).build()) {
                assertEquals("198.18.0.29:993", s.trigger(Trigger.START).block(WAIT).server().orElseThrow(), "run " + run);
            }
        }
        Map<String, Integer> counts = new TreeMap<>();
        for (int run = 0; run < 1_000; run++) {
            try (FleetSelector s = FleetSelector.builder(replay, threeDc).random(random.split()::nextInt).probeOptions(one).build()) {
                counts.merge(s.trigger(Trigger.START).block(WAIT).server().orElseThrow(), 1, Integer::sum);
            }
        }
        System.out.println("three Amsterdam servers (29/30/31 ms, 10 ms jitter), 1,000 replayed new clients: " + counts);
        assertEquals(3, counts.size(), counts.toString());
        assertTrue(counts.keySet().containsAll(threeDc.subList(0, 3)), counts.toString());
        int min = counts.values().stream().mapToInt(Integer::intValue).min().orElseThrow();
        int max = counts.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        assertTrue(max <= 1.3 * min, counts.toString());
    }

    @Test
    void equallyFastServersAreAllChosenByNewClients() throws Exception {
        String device = FleetNamespace.requireDevice();
        FleetPlan plan = new FleetPlan()
                .add("one", "198.18.21.1", Mode.OPEN, Duration.ofMillis(30))
                .add("two", "198.18.21.2", Mode.OPEN, Duration.ofMillis(30))
                .add("three", "198.18.21.3", Mode.OPEN, Duration.ofMillis(30));
        List<String> fleetList = List.of("198.18.21.1:443", "198.18.21.2:443", "198.18.21.3:443");
        Map<String, Integer> counts = new TreeMap<>();
        try (TunFleet fleet = TunFleet.start(plan, device); Prober prober = linuxProber()) {
            for (int client = 0; client < 30; client++) {
                try (FleetSelector s = FleetSelector.builder(prober, fleetList).build()) {
                    counts.merge(s.trigger(Trigger.START).block(WAIT).server().orElseThrow(), 1, Integer::sum);
                }
            }
        }
        // each is missed by all 30 clients with probability (2/3)^30 < 1e-5
        assertEquals(fleetList, List.copyOf(counts.keySet()), counts.toString());
    }

    @Test
    void insideTheRateLimitTheLastRankingIsReusedAndNothingIsSent() throws Exception {
        String device = FleetNamespace.requireDevice();
        try (TunFleet fleet = TunFleet.start(FleetPlan.seed(), device); Prober prober = linuxProber();
             FleetSelector selector = FleetSelector.builder(prober, SEED).minProbeInterval(Duration.ofSeconds(2))
                     .probeOptions(ProbeOptions.builder().timeout(Duration.ofMillis(500)).build()).build()) {
            assertEquals(FleetChoice.Reason.PROBED, selector.trigger(Trigger.START).block(WAIT).reason());
            int syns = fleet.records().size();
            for (Trigger t : List.of(Trigger.NETWORK_ONLINE, Trigger.SERVER_LIST_OPENED, Trigger.REFRESH)) {
                FleetChoice c = selector.trigger(t).block(WAIT);
                assertEquals(FleetChoice.Reason.REUSED, c.reason(), t.toString());
                assertEquals("198.18.0.29:993", c.server().orElseThrow());
            }
            assertEquals(syns, fleet.records().size(), "reuse sends nothing");
            Thread.sleep(2_100);
            assertEquals(FleetChoice.Reason.PROBED, selector.trigger(Trigger.REFRESH).block(WAIT).reason());
            assertEquals(2 * syns, fleet.records().size(), "one more probe of the four servers");
        }
    }

    @Test
    void hysteresisOnRealDelaysKeepsTheServerThenLeavesItWhenItMovesAway() throws Exception {
        String device = FleetNamespace.requireDevice();
        Duration five = Duration.ofMillis(5);
        FleetPlan plan = new FleetPlan()
                .add("a", "198.18.23.30", Mode.OPEN, Duration.ofMillis(30), five, FleetPlan.Unreachable.PORT)
                .add("b", "198.18.23.33", Mode.OPEN, Duration.ofMillis(33), five, FleetPlan.Unreachable.PORT);
        List<String> pair = List.of("198.18.23.30:993", "198.18.23.33:993");
        try (TunFleet fleet = TunFleet.start(plan, device); Prober prober = linuxProber();
             FleetSelector selector = FleetSelector.builder(prober, pair).minProbeInterval(Duration.ZERO).build()) {
            String current = selector.trigger(Trigger.START).block(WAIT).server().orElseThrow();
            int switches = 0;
            for (int i = 0; i < 100; i++) {
                FleetChoice c = selector.trigger(Trigger.REFRESH).block(WAIT);
                assertEquals(FleetChoice.Reason.PROBED, c.reason());
                switches += c.server().orElseThrow().equals(current) ? 0 : 1;
                current = c.server().orElseThrow();
            }
            assertTrue(switches <= 1, "switched " + switches + " times in 100 refreshes");
            plan.change(current.substring(0, current.indexOf(':')), Mode.OPEN, Duration.ofMillis(80), five);
            String other = current.equals(pair.get(0)) ? pair.get(1) : pair.get(0);
            assertEquals(other, selector.trigger(Trigger.REFRESH).block(WAIT).server().orElseThrow());
        }
    }

    @Test
    void aLossyServerRanksAfterACleanOneAndTheSummaryShowsJitterAndLoss() throws Exception {
        String device = FleetNamespace.requireDevice();
        FleetPlan plan = new FleetPlan()
                .add("lossy", "198.18.24.1", Mode.LOSSY, Duration.ofMillis(29))
                .add("clean", "198.18.24.2", Mode.OPEN, Duration.ofMillis(31), Duration.ofMillis(5), FleetPlan.Unreachable.PORT);
        List<String> pair = List.of("198.18.24.1:993", "198.18.24.2:993");
        // the retransmitted SYN goes after the kernel's 1 s initial timeout: give it time
        ProbeOptions spaced = ProbeOptions.builder().timeout(Duration.ofSeconds(3)).samplesPerEndpoint(3)
                .sampleSpacing(Duration.ofMillis(50)).build();
        try (TunFleet fleet = TunFleet.start(plan, device); Prober prober = linuxProber()) {
            Ranking r = RttSelector.create().rank(prober, pair, spaced).block(WAIT);
            RankedEndpoint clean = r.entries().get(0);
            RankedEndpoint lossy = r.entries().get(1);
            assertEquals("198.18.24.2:993", clean.address(), r.entries().toString());
            assertEquals(0.0, clean.loss());
            assertTrue(clean.jitterMicros().isPresent(), clean.toString());
            assertTrue(clean.jitterMicros().getAsLong() <= 12_000, "jitter " + clean.jitterMicros());
            assertEquals(1.0, lossy.loss(), "every SYN to the lossy server was dropped once: " + lossy.samples());
            assertTrue(lossy.samples().stream().allMatch(s -> Boolean.TRUE.equals(s.details().get(RttSample.Details.SYN_RETRANSMITTED))),
                    lossy.samples().toString());
            assertEquals(Bucket.FAST, clean.bucket());
            assertEquals(3, fleet.records(InetAddress.getByName("198.18.24.1")).size());

            try (FleetSelector selector = FleetSelector.builder(prober, pair).probeOptions(spaced).build()) {
                assertEquals("198.18.24.2:993", selector.trigger(Trigger.START).block(WAIT).server().orElseThrow());
            }
        }
    }
}

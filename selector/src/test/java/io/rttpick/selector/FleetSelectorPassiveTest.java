package io.rttpick.selector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.prober.InvalidEndpointException;
import io.rttpick.prober.testing.ScriptedProber;
import io.rttpick.selector.FleetChoice.Cause;
import io.rttpick.selector.FleetChoice.ProbeAction;
import io.rttpick.selector.FleetChoice.Reason;
import io.rttpick.selector.FleetChoice.Source;
import io.rttpick.selector.FleetSelector.Observed;
import io.rttpick.selector.FleetSelector.Trigger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The app's own measurements: a refresh answered without a probe, a degradation confirmed, stale samples not believed. */
class FleetSelectorPassiveTest {
    private static final List<String> FLEET = List.of("ams:993", "iowa:993", "hkg:993", "dead:993");
    private VirtualTimeScheduler time;
    private ScriptedProber scripted;
    private RecordingProber prober;

    @BeforeEach
    void setUp() {
        time = VirtualTimeScheduler.create();
        scripted = new ScriptedProber(time).set("ams:993", 29).set("iowa:993", 127).set("hkg:993", 279);
        prober = new RecordingProber(scripted, () -> time.now(TimeUnit.NANOSECONDS));
    }

    @AfterEach
    void tearDown() {
        time.dispose();
    }

    private FleetSelector selector() {
        return FleetSelector.builder(prober, FLEET).clock(() -> time).random(new SplittableRandom(3)::nextInt).build();
    }

    private FleetChoice await(Mono<FleetChoice> answer) {
        AtomicReference<FleetChoice> out = new AtomicReference<>();
        answer.subscribe(out::set);
        for (int i = 0; i < 10_000 && out.get() == null; i++) {
            time.advanceTimeBy(Duration.ofMillis(1));
        }
        assertNotNull(out.get());
        return out.get();
    }

    @Test
    void whileTheServerInUseMeasuresWellARefreshSendsNothing() {
        FleetSelector servers = selector();
        assertEquals("ams:993", await(servers.trigger(Trigger.START)).server().orElseThrow());
        time.advanceTimeBy(Duration.ofSeconds(40)); // past the rate limit: a refresh would probe
        int rounds = prober.rounds.size();
        servers.observe("ams:993", Duration.ofMillis(31), Observed.KERNEL_RTT);
        FleetChoice refresh = await(servers.trigger(Trigger.REFRESH));
        assertEquals(Reason.OBSERVED, refresh.reason(), refresh.toString());
        assertEquals(Source.PASSIVE, refresh.source());
        assertEquals(ProbeAction.NONE, refresh.probe());
        assertEquals(31_000, refresh.rttMicros().getAsLong());
        assertEquals("ams:993", refresh.server().orElseThrow());
        assertEquals(rounds, prober.rounds.size(), "no SYN");
    }

    @Test
    void aSampleOlderThanTheWindowCountsForNothing() {
        FleetSelector servers = selector();
        await(servers.trigger(Trigger.START));
        servers.observe("ams:993", Duration.ofMillis(31), Observed.HANDSHAKE);
        time.advanceTimeBy(Duration.ofSeconds(61));
        FleetChoice refresh = await(servers.trigger(Trigger.REFRESH));
        assertEquals(Reason.PROBED, refresh.reason(), "61 s old: stale; " + refresh);
        assertEquals(Source.PROBE, refresh.source());
    }

    @Test
    void aDegradedServerInUseHasItsBestAlternativesConfirmedAndTheChoiceMoves() {
        FleetSelector servers = selector();
        List<FleetChoice> changes = new ArrayList<>();
        servers.changes().subscribe(changes::add);
        await(servers.trigger(Trigger.START));
        time.advanceTimeBy(Duration.ofSeconds(40));
        int rounds = prober.rounds.size();
        scripted.set("ams:993", 200); // Amsterdam's route got long
        servers.observe("ams:993", Duration.ofMillis(200), Observed.KERNEL_RTT);
        time.advanceTimeBy(Duration.ofSeconds(2));
        assertEquals(rounds, prober.rounds.size(), "one late sample is not evidence enough");
        servers.observe("ams:993", Duration.ofMillis(201), Observed.KERNEL_RTT);
        time.advanceTimeBy(Duration.ofSeconds(2));
        assertTrue(prober.rounds.size() > rounds, "a confirmation: " + prober.rounds);
        assertTrue(prober.rounds.get(rounds).servers.size() <= 3, "the best k only: " + prober.rounds.get(rounds));
        FleetChoice now = changes.get(changes.size() - 1);
        assertEquals("iowa:993", now.server().orElseThrow(), changes.toString());
        assertEquals(Cause.OBSERVATION, now.cause());
    }

    @Test
    void aSampleInsideTheGroupStartsNothing() {
        FleetSelector servers = selector();
        await(servers.trigger(Trigger.START));
        time.advanceTimeBy(Duration.ofSeconds(40));
        int rounds = prober.rounds.size();
        for (int i = 0; i < 20; i++) {
            servers.observe("ams:993", Duration.ofMillis(25 + i), Observed.HANDSHAKE);
            servers.observe("iowa:993", Duration.ofMillis(900), Observed.HANDSHAKE); // not the server in use
        }
        time.advanceTimeBy(Duration.ofSeconds(5));
        assertEquals(rounds, prober.rounds.size());
    }

    @Test
    void requestsCountOnlyWithoutARoundTripAndThenTheirLeast() {
        FleetSelector servers = selector();
        await(servers.trigger(Trigger.START));
        time.advanceTimeBy(Duration.ofSeconds(40));
        servers.observe("ams:993", Duration.ofMillis(90), Observed.REQUEST);
        servers.observe("ams:993", Duration.ofMillis(35), Observed.REQUEST);
        assertEquals(35_000, await(servers.trigger(Trigger.REFRESH)).rttMicros().getAsLong());
        servers.observe("ams:993", Duration.ofMillis(30), Observed.HANDSHAKE);
        servers.observe("ams:993", Duration.ofMillis(32), Observed.KERNEL_RTT);
        servers.observe("ams:993", Duration.ofMillis(33), Observed.KERNEL_RTT);
        assertEquals(32_000, await(servers.trigger(Trigger.REFRESH)).rttMicros().getAsLong(), "the round trips' median");
    }

    @Test
    void badObservationsAreRefusedNamingThemAndOthersIgnored() {
        FleetSelector servers = selector();
        assertThrows(InvalidEndpointException.class, () -> servers.observe("not an address", Duration.ofMillis(3), Observed.HANDSHAKE));
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> servers.observe("ams:993", Duration.ZERO, Observed.HANDSHAKE));
        assertTrue(zero.getMessage().contains("ams:993"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> servers.observe("ams:993", Duration.ofMillis(-1), Observed.HANDSHAKE));
        assertThrows(IllegalArgumentException.class, () -> servers.observe("ams:993", Duration.ofHours(1), Observed.HANDSHAKE));
        servers.observe("elsewhere.example:443", Duration.ofMillis(3), Observed.HANDSHAKE); // not in the fleet: ignored
        assertEquals(Reason.PROBED, await(servers.trigger(Trigger.START)).reason());
    }

    /**
     * Random days in virtual time: the server in use reports samples in its group or degraded, at
     * random; refreshes come. No refresh goes unprobed without a fresh sample of the server in use;
     * a round an observation started probes at most k servers; no OBSERVED answer rests on a stale
     * sample.
     */
    @Test
    void overRandomDaysPassiveAnswersRestOnFreshSamplesAndDegradationsCostAtMostK() {
        for (int seed = 0; seed < 100; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            time = VirtualTimeScheduler.create();
            scripted = new ScriptedProber(time).set("ams:993", 29).set("iowa:993", 127).set("hkg:993", 279);
            prober = new RecordingProber(scripted, () -> time.now(TimeUnit.NANOSECONDS));
            FleetSelector servers = selector();
            String[] current = {null};
            servers.changes().subscribe(c -> current[0] = c.server().orElse(null));
            await(servers.trigger(Trigger.START));
            long lastSample = Long.MIN_VALUE;
            for (int step = 0; step < 60; step++) {
                int what = r.nextInt(4);
                if (what == 0 && current[0] != null) {
                    boolean degraded = r.nextInt(4) == 0;
                    long ms = degraded ? 400 + r.nextInt(100) : (long) (scriptedMs(current[0]) + r.nextInt(5));
                    int before = prober.rounds.size();
                    servers.observe(current[0], Duration.ofMillis(ms), Observed.KERNEL_RTT);
                    servers.observe(current[0], Duration.ofMillis(ms + 1), Observed.KERNEL_RTT);
                    time.advanceTimeBy(Duration.ofMillis(1));
                    lastSample = time.now(TimeUnit.NANOSECONDS);
                    if (prober.rounds.size() > before) {
                        assertTrue(prober.rounds.get(before).servers.size() <= 3, "seed " + seed + ": " + prober.rounds.get(before));
                    }
                    time.advanceTimeBy(Duration.ofSeconds(2));
                } else if (what == 1) {
                    int before = prober.rounds.size();
                    FleetChoice c = await(servers.trigger(Trigger.REFRESH));
                    boolean fresh = time.now(TimeUnit.NANOSECONDS) - lastSample <= Duration.ofSeconds(60).toNanos();
                    if (c.reason() == Reason.OBSERVED) {
                        assertTrue(fresh, "seed " + seed + ": an OBSERVED answer on a stale sample: " + c);
                        assertEquals(before, prober.rounds.size());
                    }
                } else {
                    time.advanceTimeBy(Duration.ofSeconds(r.nextInt(1, 120)));
                }
            }
            servers.close();
            time.dispose();
        }
        time = VirtualTimeScheduler.create();
    }

    private long scriptedMs(String server) {
        long ms = scripted.millis(server);
        return ms < 0 ? 500L : ms;
    }
}

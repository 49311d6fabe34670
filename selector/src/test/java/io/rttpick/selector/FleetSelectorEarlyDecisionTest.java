package io.rttpick.selector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.prober.Handshake;
import io.rttpick.prober.Outcome;
import io.rttpick.prober.ProbeEvent;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.prober.RttSample;
import io.rttpick.prober.Timing;
import io.rttpick.selector.FleetChoice.Reason;
import io.rttpick.selector.FleetSelector.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/** FleetSelector answers at the early decision, and the early answer never contradicts the full ranking. */
class FleetSelectorEarlyDecisionTest {
    private static final List<String> SEED = List.of("ams:993", "iowa:993", "hkg:993", "dead:993");
    private VirtualTimeScheduler time;

    @BeforeEach
    void setUp() {
        time = VirtualTimeScheduler.create();
    }

    @AfterEach
    void tearDown() {
        time.dispose();
    }

    /** Attempts of an address one after another: an RTT in ms, "+" for a retransmitted SYN, "lost" for a timeout. */
    private final class AttemptScripts implements Prober {
        final Map<String, List<String>> scripts;

        AttemptScripts(Map<String, List<String>> scripts) {
            this.scripts = scripts;
        }

        @Override
        public String name() {
            return "attempt-scripts";
        }

        @Override
        public Flux<ProbeEvent> events(List<String> addresses, ProbeOptions options) {
            return Flux.range(0, addresses.size()).flatMap(i -> Flux.range(0, options.samplesPerEndpoint())
                    .concatMap(a -> attempt(i, addresses.get(i), a, options)));
        }

        private Flux<ProbeEvent> attempt(int i, String address, int attempt, ProbeOptions options) {
            List<String> script = scripts.getOrDefault(address, List.of());
            String step = attempt < script.size() ? script.get(attempt) : "lost";
            RttSample.Builder b = RttSample.builder(i, address).attempt(attempt).resolved(Events.target(i))
                    .startedAt(Instant.EPOCH).prober(name());
            long wait;
            if (step.equals("lost")) {
                wait = options.timeout().toMillis();
                b.failed(Outcome.TIMEOUT, "tcp check timeout: I/O timeout");
            } else {
                wait = Long.parseLong(step.replace("+", ""));
                b.ok(wait * 1_000, Timing.KERNEL, Handshake.HALF_OPEN);
                if (step.endsWith("+")) {
                    b.detail(RttSample.Details.SYN_RETRANSMITTED, true);
                }
            }
            return Flux.concat(Mono.just(new ProbeEvent.Started(i, attempt, address, Events.target(i), Instant.EPOCH)),
                    Mono.delay(Duration.ofMillis(wait), time).map(x -> new ProbeEvent.Completed(b.build())));
        }

        @Override
        public void close() {
        }
    }

    private FleetSelector fleet(Prober prober, List<String> servers, ProbeOptions options, long seed) {
        return FleetSelector.builder(prober, servers).probeOptions(options).random(new SplittableRandom(seed)::nextInt)
                .clock(() -> time).build();
    }

    /** Subscribes and advances virtual time a millisecond at a time until the answer: returns it and when it came. */
    private <T> T awaitAt(Mono<T> answer, long[] atMillis) {
        AtomicReference<T> out = new AtomicReference<>();
        long start = time.now(java.util.concurrent.TimeUnit.MILLISECONDS);
        answer.subscribe(out::set);
        for (int i = 0; i < 20_000 && out.get() == null; i++) {
            time.advanceTimeBy(Duration.ofMillis(1));
        }
        assertTrue(out.get() != null, "no answer within 20 s of virtual time");
        atMillis[0] = time.now(java.util.concurrent.TimeUnit.MILLISECONDS) - start;
        return out.get();
    }

    private Prober seedFleet() {
        return new AttemptScripts(Map.of("ams:993", List.of("29"), "iowa:993", List.of("127"), "hkg:993", List.of("279"),
                "dead:993", List.of("lost")));
    }

    @Test
    void theSeedFleetIsAnsweredAtTheEarlyDecisionNotAtTheDeadServersTimeout() {
        for (long timeoutMs : new long[] {500, 1_000}) {
            FleetSelector s = fleet(seedFleet(), SEED, ProbeOptions.builder().timeout(Duration.ofMillis(timeoutMs)).build(), 1);
            List<FleetChoice> changes = new ArrayList<>();
            s.changes().subscribe(changes::add);
            long[] at = new long[1];
            FleetChoice c = awaitAt(s.trigger(Trigger.START), at);
            Ranking early = s.lastRanking().orElseThrow();
            long decidedMicros = early.selection().decidedAfter().toNanos() / 1_000;
            System.out.printf("FleetSelector START on the seed fleet, timeout %d ms: %s decided after %d us (virtual time)%n",
                    timeoutMs, c.server().orElseThrow(), decidedMicros);
            assertEquals("ams:993", c.server().orElseThrow());
            assertEquals(Reason.PROBED, c.reason());
            assertEquals(49_000, decidedMicros, "29 ms to Amsterdam's answer, then 20 ms more");
            assertTrue(at[0] <= 50, "answered after " + at[0] + " ms");
            assertFalse(early.complete());
            assertEquals(List.of(Bucket.FAST, Bucket.MEASURING, Bucket.MEASURING, Bucket.MEASURING),
                    early.entries().stream().map(RankedEndpoint::bucket).toList());
            assertEquals(1, changes.size());

            time.advanceTimeBy(Duration.ofMillis(timeoutMs));
            Ranking full = s.lastRanking().orElseThrow();
            assertTrue(full.complete());
            assertEquals(List.of(Bucket.FAST, Bucket.AVERAGE, Bucket.SLOW, Bucket.NONE),
                    full.entries().stream().map(RankedEndpoint::bucket).toList());
            assertEquals(1, changes.size(), "the full ranking did not change the choice: no second change");
            assertEquals(1, s.probesStarted());
            s.close();
        }
    }

    @Test
    void everyTriggerThatProbesAnswersAtTheEarlyDecision() {
        for (Trigger trigger : Trigger.values()) {
            FleetSelector s = FleetSelector.builder(seedFleet(), SEED).probeOptions(ProbeOptions.builder()
                    .timeout(Duration.ofMillis(1_000)).build()).random(new SplittableRandom(1)::nextInt).clock(() -> time)
                    .minProbeInterval(Duration.ZERO).build();
            long[] at = new long[1];
            awaitAt(s.trigger(Trigger.START), at);
            time.advanceTimeBy(Duration.ofSeconds(2));
            FleetChoice c = awaitAt(s.trigger(trigger), at);
            assertEquals(Reason.PROBED, c.reason(), trigger.name());
            assertEquals(2, s.probesStarted(), trigger.name());
            assertEquals(50, at[0], trigger + " answered after " + at[0] + " ms");
            assertFalse(s.lastRanking().orElseThrow().complete(), trigger.name());
            s.close();
        }
    }

    /** L answers 29, 29, then its third SYN is retransmitted (or lost); C answers 31, 31, 31. */
    @Test
    void aServerWithAnAttemptStillOutIsNotChosenAgainstItsOwnFinalRanking() {
        ProbeOptions three = ProbeOptions.builder().samplesPerEndpoint(3).timeout(Duration.ofSeconds(2)).build();
        for (String third : new String[] {"1029+", "lost"}) {
            Prober p = new AttemptScripts(Map.of("L:993", List.of("29", "29", third), "C:993", List.of("31", "31", "31")));
            int clients = 10_000;
            int choseL = 0;
            int chosePickL = 0;
            for (int seed = 0; seed < clients; seed++) {
                FleetSelector s = fleet(p, List.of("L:993", "C:993"), three, seed);
                choseL += awaitAt(s.trigger(Trigger.START), new long[1]).server().orElseThrow().equals("L:993") ? 1 : 0;
                s.close();
                Selection pick = awaitAt(RttSelector.builder().random(new SplittableRandom(seed)::nextInt).clock(() -> time).build()
                        .pick(p, List.of("L:993", "C:993"), three), new long[1]);
                chosePickL += pick.chosen().orElseThrow().address().equals("L:993") ? 1 : 0;
            }
            System.out.printf("L 29, 29, %s against C 31, 31, 31: %d of %d FleetSelector clients and %d of %d pick() clients chose L%n",
                    third, choseL, clients, chosePickL, clients);
            assertEquals(0, choseL);
            assertEquals(0, chosePickL);
        }
    }

    /** B answers 10 ms then 300 ms (SLOW by its median, 155 ms); C answers 25, 25. */
    @Test
    void aServerThatCouldStillLeaveTheFastGroupHoldsTheDecision() {
        ProbeOptions two = ProbeOptions.builder().samplesPerEndpoint(2).timeout(Duration.ofSeconds(1)).build();
        Prober p = new AttemptScripts(Map.of("B:993", List.of("10", "300"), "C:993", List.of("25", "25")));
        int clients = 10_000;
        int choseB = 0;
        int chosePickB = 0;
        long[] at = new long[1];
        for (int seed = 0; seed < clients; seed++) {
            FleetSelector s = fleet(p, List.of("B:993", "C:993"), two, seed);
            choseB += awaitAt(s.trigger(Trigger.START), at).server().orElseThrow().equals("B:993") ? 1 : 0;
            s.close();
            Selection pick = awaitAt(RttSelector.builder().random(new SplittableRandom(seed)::nextInt).clock(() -> time).build()
                    .pick(p, List.of("B:993", "C:993"), two), new long[1]);
            chosePickB += pick.chosen().orElseThrow().address().equals("B:993") ? 1 : 0;
        }
        System.out.printf("B 10, 300 against C 25, 25: %d of %d FleetSelector clients and %d of %d pick() clients chose B;"
                + " decided after %d ms%n", choseB, clients, chosePickB, clients, at[0]);
        assertEquals(0, choseB);
        assertEquals(0, chosePickB);
        assertEquals(310, at[0], "B's second answer is what decides");
    }

    @Test
    void aFailureReportedBeforeTheRankingIsCompleteFailsOverWithWhatIsKnown() {
        List<String> servers = List.of("ams1:993", "ams2:993", "iowa:993", "dead:993");
        Prober p = new AttemptScripts(Map.of("ams1:993", List.of("29"), "ams2:993", List.of("30"), "iowa:993", List.of("127"),
                "dead:993", List.of("lost")));
        FleetSelector s = fleet(p, servers, ProbeOptions.builder().timeout(Duration.ofSeconds(1)).build(), 3);
        long[] at = new long[1];
        String first = awaitAt(s.trigger(Trigger.START), at).server().orElseThrow();
        assertEquals(50, at[0], "29 + 20 ms: decided just after 49 ms");
        String other = first.equals("ams1:993") ? "ams2:993" : "ams1:993";
        // the other Amsterdam server is known at once
        FleetChoice failover = awaitAt(s.reportFailure(first), at);
        assertEquals(other, failover.server().orElseThrow());
        assertEquals(Reason.FAILOVER, failover.reason());
        assertEquals(0, at[0]);
        // with both Amsterdam servers failed nothing usable is known yet: the probe under way
        // decides again at its next moment of certainty, grouped among the servers left (Iowa
        // answers at 127 ms; nothing still out can join its FAST group, 127 + 63 ms, after 190 ms),
        // not at the dead server's timeout, and never says "nothing available" while Iowa is measured
        FleetChoice second = awaitAt(s.reportFailure(other), at);
        assertEquals("iowa:993", second.server().orElseThrow());
        assertEquals(Reason.FAILOVER, second.reason());
        assertEquals(Bucket.FAST, second.group().orElseThrow());
        assertEquals(191 - 50, at[0]);
        assertFalse(s.lastRanking().orElseThrow().complete());
        s.close();
    }

    @Test
    void aTriggerAfterTheEarlyDecisionReusesTheIncompleteRankingWithinTheRateLimit() {
        FleetSelector s = fleet(seedFleet(), SEED, ProbeOptions.builder().timeout(Duration.ofMillis(500)).build(), 1);
        awaitAt(s.trigger(Trigger.START), new long[1]);
        long[] at = new long[1];
        FleetChoice again = awaitAt(s.trigger(Trigger.SERVER_LIST_OPENED), at);
        assertEquals(Reason.REUSED, again.reason());
        assertEquals("ams:993", again.server().orElseThrow());
        assertEquals(0, at[0]);
        assertEquals(1, s.probesStarted());
        s.close();
    }
}

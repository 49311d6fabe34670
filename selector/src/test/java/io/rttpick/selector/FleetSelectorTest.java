package io.rttpick.selector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.prober.testing.ScriptedProber;
import io.rttpick.selector.FleetChoice.Reason;
import io.rttpick.selector.FleetSelector.Trigger;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Every rule of the fleet selector, in virtual time, against a scripted prober. */
class FleetSelectorTest {
    private static final List<String> FLEET = List.of("ams:993", "iowa:993", "hkg:993", "dead:993");
    private VirtualTimeScheduler time;
    private ScriptedProber prober;

    @BeforeEach
    void setUp() {
        time = VirtualTimeScheduler.create();
        prober = new ScriptedProber(time).set("ams:993", 29).set("iowa:993", 127).set("hkg:993", 279);
    }

    @AfterEach
    void tearDown() {
        time.dispose();
    }

    private FleetSelector selector(long seed) {
        return selector(seed, b -> b);
    }

    private FleetSelector selector(long seed, Function<FleetSelector.Builder, FleetSelector.Builder> more) {
        return more.apply(FleetSelector.builder(prober, FLEET).random(new SplittableRandom(seed)::nextInt).clock(() -> time)).build();
    }

    /** Subscribes, lets virtual time run until the answer, returns it. */
    private <T> T await(Mono<T> answer) {
        @SuppressWarnings("unchecked")
        T[] out = (T[]) new Object[1];
        answer.subscribe(c -> out[0] = c);
        for (int i = 0; i < 100 && out[0] == null; i++) {
            time.advanceTimeBy(Duration.ofMillis(100));
        }
        assertTrue(out[0] != null, "no answer within 10 s of virtual time");
        return out[0];
    }

    @Test
    void startProbesAndPicksTheFastest() {
        FleetChoice c = await(selector(1).trigger(Trigger.START));
        assertEquals("ams:993", c.server().orElseThrow());
        assertEquals(Reason.PROBED, c.reason());
        assertEquals(Bucket.FAST, c.bucket().orElseThrow());
        assertEquals(1, prober.calls());
    }

    @Test
    void triggersInsideTheRateLimitReuseTheLastRankingAndSaySo() {
        FleetSelector s = selector(1);
        await(s.trigger(Trigger.START));
        time.advanceTimeBy(Duration.ofSeconds(10));
        FleetChoice again = await(s.trigger(Trigger.SERVER_LIST_OPENED));
        assertEquals(Reason.REUSED, again.reason());
        assertTrue(again.note().contains("rate limit"), again.note());
        assertEquals(1, prober.calls());
        time.advanceTimeBy(Duration.ofSeconds(25)); // past 30 s since the probe
        assertEquals(Reason.PROBED, await(s.trigger(Trigger.REFRESH)).reason());
        assertEquals(2, prober.calls());
    }

    @Test
    void aTriggerRightAfterAnAnswerProbesAgainInsteadOfReplayingTheLastProbe() {
        FleetSelector s = selector(1, b -> b.minProbeInterval(Duration.ZERO));
        // the second trigger comes while the first answer is being delivered
        FleetChoice second = await(s.trigger(Trigger.START).flatMap(first -> s.trigger(Trigger.REFRESH)));
        assertEquals(Reason.PROBED, second.reason());
        assertEquals(2, prober.calls());
    }

    @Test
    void aStaleRankingIsReusedOnlyWithAProbeFollowing() {
        FleetSelector s = selector(1, b -> b.maxRankingAge(Duration.ofSeconds(5)));
        await(s.trigger(Trigger.START));
        time.advanceTimeBy(Duration.ofSeconds(10));
        FleetChoice c = await(s.trigger(Trigger.NETWORK_ONLINE));
        assertEquals(Reason.REUSED_STALE, c.reason());
        assertEquals(1, prober.calls());
        time.advanceTimeBy(Duration.ofSeconds(21)); // the rate limit allows it at 30 s
        assertEquals(2, prober.calls(), "the follow-up probe");
    }

    @Test
    void aPinnedServerMeansNoProbingUntilUnpinnedEvenForADay() {
        FleetSelector s = selector(1);
        FleetChoice c = await(s.pin("mine.example.org:993"));
        assertTrue(c.pinned());
        for (Trigger t : Trigger.values()) {
            assertEquals("mine.example.org:993", await(s.trigger(t)).server().orElseThrow());
        }
        time.advanceTimeBy(Duration.ofDays(1));
        assertEquals(0, prober.calls());
        assertEquals(Reason.PROBED, await(s.unpin()).reason());
        assertEquals(1, prober.calls());
    }

    @Test
    void idleForADayMeansZeroProbes() {
        FleetSelector s = selector(1);
        await(s.trigger(Trigger.START));
        time.advanceTimeBy(Duration.ofDays(1));
        assertEquals(1, prober.calls());
    }

    @Test
    void aFailedServerIsReplacedAtOnceFromTheLastRankingThenAProbeFollows() {
        FleetSelector s = selector(1);
        await(s.trigger(Trigger.START));
        time.advanceTimeBy(Duration.ofSeconds(5));
        FleetChoice next = await(s.reportFailure("ams:993"));
        assertEquals(Reason.FAILOVER, next.reason());
        assertEquals("iowa:993", next.server().orElseThrow());
        assertEquals(1, prober.calls(), "failover does not wait for a probe");
        time.advanceTimeBy(Duration.ofSeconds(26));
        assertEquals(2, prober.calls(), "a fresh probe follows once the rate limit allows");
        // Amsterdam answers again but cools off for 120 s: Iowa stays
        assertEquals("iowa:993", await(s.current()).server().orElseThrow());
        time.advanceTimeBy(Duration.ofSeconds(120));
        assertEquals("ams:993", await(s.trigger(Trigger.REFRESH)).server().orElseThrow());
    }

    @Test
    void coolOffGrowsWithRepeatedFailures() {
        FleetSelector s = selector(1);
        await(s.trigger(Trigger.START));
        await(s.reportFailure("ams:993"));
        time.advanceTimeBy(Duration.ofSeconds(121));
        await(s.trigger(Trigger.REFRESH));
        await(s.reportFailure("ams:993")); // second failure: 240 s
        time.advanceTimeBy(Duration.ofSeconds(200));
        assertEquals("iowa:993", await(s.trigger(Trigger.REFRESH)).server().orElseThrow());
        time.advanceTimeBy(Duration.ofSeconds(41));
        assertEquals("ams:993", await(s.trigger(Trigger.REFRESH)).server().orElseThrow());
    }

    @Test
    void whenEveryServerFailedItSaysSo() {
        FleetSelector s = selector(1);
        await(s.trigger(Trigger.START));
        await(s.reportFailure("ams:993"));
        await(s.reportFailure("iowa:993"));
        FleetChoice none = await(s.reportFailure("hkg:993"));
        assertEquals(Reason.NOTHING_AVAILABLE, none.reason());
        assertFalse(none.server().isPresent());
        assertTrue(none.note().contains("every server that answered has failed"), none.note());
    }

    @Test
    void hysteresisKeepsTheCurrentServerUntilItClearlyFallsBehind() {
        prober.clear();
        prober.set("a:1", 33).set("b:1", 30);
        FleetSelector s = FleetSelector.builder(prober, List.of("a:1", "b:1")).random(new SplittableRandom(3)::nextInt)
                .clock(() -> time).build();
        String first = await(s.trigger(Trigger.START)).server().orElseThrow();
        int switches = 0;
        String now = first;
        for (int i = 0; i < 100; i++) {
            time.advanceTimeBy(Duration.ofSeconds(31));
            // 5 ms of jitter on every sample
            prober.set("a:1", 33 + (i * 7 % 11) - 5).set("b:1", 30 + (i * 5 % 11) - 5);
            String next = await(s.trigger(Trigger.REFRESH)).server().orElseThrow();
            switches += next.equals(now) ? 0 : 1;
            now = next;
        }
        assertTrue(switches <= 1, "switched " + switches + " times in 100 refreshes");
        // the current server moves to 80 ms: the next refresh switches
        prober.set(now, 80);
        time.advanceTimeBy(Duration.ofSeconds(31));
        String other = now.equals("a:1") ? "b:1" : "a:1";
        assertEquals(other, await(s.trigger(Trigger.REFRESH)).server().orElseThrow());
    }

    @Test
    void removingTheCurrentServerChoosesAgainAndAddedServersJoinTheNextProbe() {
        FleetSelector s = selector(1);
        await(s.trigger(Trigger.START));
        FleetChoice c = await(s.removeServer("ams:993"));
        assertEquals("iowa:993", c.server().orElseThrow());
        prober.set("near:993", 5);
        await(s.addServer("near:993"));
        time.advanceTimeBy(Duration.ofSeconds(31));
        assertEquals("near:993", await(s.trigger(Trigger.REFRESH)).server().orElseThrow());
    }

    @Test
    void theFleetKnowsItsMembers() {
        FleetSelector s = selector(1);
        assertTrue(s.contains("ams:993"));
        assertFalse(s.contains("elsewhere:993"));
        await(s.removeServer("ams:993"));
        assertFalse(s.contains("ams:993"));
        assertEquals(List.of("iowa:993", "hkg:993", "dead:993"), s.servers());
    }

    @Test
    void changesAreReported() {
        FleetSelector s = selector(1);
        List<FleetChoice> seen = new java.util.ArrayList<>();
        s.changes().subscribe(seen::add);
        await(s.trigger(Trigger.START));
        await(s.reportFailure("ams:993"));
        assertEquals(List.of("ams:993", "iowa:993"),
                seen.stream().map(x -> x.server().orElseThrow()).collect(java.util.stream.Collectors.toList()));
    }

    @Test
    void newClientsSpreadUniformlyOverEquallyFastServers() {
        prober.clear();
        prober.set("s0:1", 29).set("s1:1", 30).set("s2:1", 31);
        int[] counts = new int[3];
        for (int seed = 0; seed < 3_000; seed++) {
            FleetSelector s = FleetSelector.builder(prober, List.of("s0:1", "s1:1", "s2:1"))
                    .random(new SplittableRandom(seed)::nextInt).clock(() -> time).build();
            counts[Integer.parseInt(await(s.trigger(Trigger.START)).server().orElseThrow().substring(1, 2))]++;
        }
        // none more than 1.3x as often as another
        int min = Math.min(counts[0], Math.min(counts[1], counts[2]));
        int max = Math.max(counts[0], Math.max(counts[1], counts[2]));
        assertTrue(max <= 1.3 * min, java.util.Arrays.toString(counts));
    }

    /** Chi-square with k - 1 = 3 degrees of freedom: 11.345 is the bound that p = 0.01 puts on it. */
    @Test
    void equallyFastServersAreChosenUniformlyChiSquareOverTenThousandNewClients() {
        prober.clear();
        List<String> fleet = List.of("e0:1", "e1:1", "e2:1", "e3:1");
        fleet.forEach(a -> prober.set(a, 40));
        int[] counts = new int[fleet.size()];
        SplittableRandom seeds = new SplittableRandom(20261125);
        int clients = 10_000;
        for (int c = 0; c < clients; c++) {
            FleetSelector s = FleetSelector.builder(prober, fleet).random(seeds.split()::nextInt).clock(() -> time).build();
            counts[fleet.indexOf(await(s.trigger(Trigger.START)).server().orElseThrow())]++;
        }
        double expected = (double) clients / fleet.size();
        double chiSquare = 0;
        for (int n : counts) {
            chiSquare += (n - expected) * (n - expected) / expected;
        }
        System.out.printf("equal servers, %d new clients: %s, chi-square %.2f (p = 0.01 bound: 11.345)%n",
                clients, java.util.Arrays.toString(counts), chiSquare);
        assertTrue(chiSquare < 11.345, "chi-square " + chiSquare + " for " + java.util.Arrays.toString(counts));
    }

    @Test
    void seedFleetWithTenMsJitterChoosesAmsterdamEveryTimeOverAThousandRuns() {
        prober.jitter(10, new SplittableRandom(7));
        for (int run = 0; run < 1_000; run++) {
            FleetSelector s = selector(run, b -> b.probeOptions(
                    io.rttpick.prober.ProbeOptions.builder().samplesPerEndpoint(3).sampleSpacing(Duration.ofMillis(200)).build()));
            assertEquals("ams:993", await(s.trigger(Trigger.START)).server().orElseThrow(), "run " + run);
        }
    }

    @Test
    void threeAmsterdamServersWithTenMsJitterAreAllChosenNoneOverOnePointThreeTimesAnother() {
        prober.clear();
        prober.set("ams1:993", 29).set("ams2:993", 30).set("ams3:993", 31).set("iowa:993", 127).set("hkg:993", 279)
                .jitter(10, new SplittableRandom(11));
        List<String> fleet = List.of("ams1:993", "ams2:993", "ams3:993", "iowa:993", "hkg:993", "dead:993");
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        for (int run = 0; run < 1_000; run++) {
            FleetSelector s = FleetSelector.builder(prober, fleet).random(new SplittableRandom(run)::nextInt).clock(() -> time).build();
            counts.merge(await(s.trigger(Trigger.START)).server().orElseThrow(), 1, Integer::sum);
        }
        assertEquals(java.util.Set.of("ams1:993", "ams2:993", "ams3:993"), counts.keySet(), counts.toString());
        int min = counts.values().stream().mapToInt(Integer::intValue).min().orElseThrow();
        int max = counts.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        assertTrue(max <= 1.3 * min, counts.toString());
    }

    @Test
    void spacedSamplesAreSummarisedAndALossyServerRanksAfterACleanOneOfSimilarRtt() {
        prober.clear();
        // the lossy one is even a little faster when it answers
        prober.set("clean:1", 31).set("lossy:1", 29).lose("lossy:1", 1).jitter(4, new SplittableRandom(5));
        io.rttpick.prober.ProbeOptions spaced = io.rttpick.prober.ProbeOptions.builder()
                .samplesPerEndpoint(3).sampleSpacing(Duration.ofSeconds(1)).build();
        for (int seed = 0; seed < 200; seed++) {
            FleetSelector s = FleetSelector.builder(prober, List.of("lossy:1", "clean:1")).random(new SplittableRandom(seed)::nextInt)
                    .clock(() -> time).probeOptions(spaced).build();
            assertEquals("clean:1", await(s.trigger(Trigger.START)).server().orElseThrow());
        }
        Ranking r = await(RttSelector.builder().clock(() -> time).build()
                .rank(prober, List.of("lossy:1", "clean:1"), spaced).map(x -> x));
        RankedEndpoint clean = r.entries().get(0);
        RankedEndpoint lossy = r.entries().get(1);
        assertEquals("clean:1", clean.address());
        assertEquals(Bucket.FAST, lossy.bucket());
        assertEquals(1.0 / 3, lossy.loss(), 1e-9);
        assertEquals(0.0, clean.loss());
        assertTrue(clean.jitterMicros().orElseThrow() <= 8_000, clean.toString());
        assertTrue(Math.abs(clean.rttMicros().orElseThrow() - 31_000) <= 4_000, clean.toString());
        // three samples, spaced: the second began at least a second after the first ended
        assertEquals(3, clean.samples().size());
    }

    @Test
    void aLossyCurrentServerIsNotKeptAgainstACleanOne() {
        prober.clear();
        prober.set("a:1", 30).set("b:1", 30);
        io.rttpick.prober.ProbeOptions three = io.rttpick.prober.ProbeOptions.builder().samplesPerEndpoint(3).build();
        FleetSelector s = FleetSelector.builder(prober, List.of("a:1", "b:1")).random(new SplittableRandom(1)::nextInt)
                .clock(() -> time).probeOptions(three).build();
        String first = await(s.trigger(Trigger.START)).server().orElseThrow();
        prober.lose(first, 0);
        time.advanceTimeBy(Duration.ofSeconds(31));
        assertEquals(first.equals("a:1") ? "b:1" : "a:1", await(s.trigger(Trigger.REFRESH)).server().orElseThrow());
    }

    @Test
    void malformedServersAreRejectedByName() {
        FleetSelector s = selector(1);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> s.addServer("mail.example.org:99999").block());
        assertEquals("address mail.example.org:99999: invalid port", e.getMessage());
    }
}

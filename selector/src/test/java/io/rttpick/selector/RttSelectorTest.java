package io.rttpick.selector;

import static io.rttpick.selector.Events.attempt;
import static io.rttpick.selector.Events.failed;
import static io.rttpick.selector.Events.ok;
import static io.rttpick.selector.Events.started;
import static io.rttpick.selector.Events.timeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.prober.Outcome;
import io.rttpick.prober.ProbeEvent;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class RttSelectorTest {
    private static final Duration VERIFY = Duration.ofSeconds(10);
    private static final List<String> SEED_FLEET = List.of("s0", "s1", "s2", "s3");

    private static RttSelector selector(long seed) {
        return RttSelector.builder().random(new SplittableRandom(seed)::nextInt).clock(VirtualTimeScheduler::get).build();
    }

    private static Selection selection(SelectorEvent e) {
        return (Selection) e;
    }

    @Test
    void decidesOnceNothingInFlightCanStillBeFast() {
        // Amsterdam 29 ms, Iowa 127 ms, Hong Kong 279 ms, one dead server (timeout 1 s).
        // FAST ends at 29 + 20 = 49 ms: at 49 ms nothing still out can join it.
        StepVerifier.withVirtualTime(() -> selector(1).select(SEED_FLEET, 1, Flux.merge(
                        attempt(0, 0, 0, 29), attempt(1, 0, 0, 127), attempt(2, 0, 0, 279), timeout(3, 0, 0, 1000))))
                .thenAwait(Duration.ofMillis(48))
                .expectNoEvent(Duration.ofMillis(1))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(e -> {
                    Selection s = selection(e);
                    assertEquals("s0", s.chosen().orElseThrow().address());
                    assertEquals(Bucket.FAST, s.bucket().orElseThrow());
                    assertTrue(s.early());
                    long after = s.decidedAfter().toNanos();
                    System.out.printf("pick on the seed fleet: %s decided after %d us (virtual time)%n",
                            s.chosen().orElseThrow().address(), after / 1_000);
                    assertTrue(after > 49_000_000 && after <= 50_000_000, "decided after " + s.decidedAfter());
                })
                .thenAwait(Duration.ofSeconds(1))
                .assertNext(e -> {
                    Ranking r = (Ranking) e;
                    assertEquals(List.of("s0", "s1", "s2", "s3"),
                            r.entries().stream().map(RankedEndpoint::address).collect(Collectors.toList()));
                    assertEquals(List.of(Bucket.FAST, Bucket.AVERAGE, Bucket.SLOW, Bucket.NONE),
                            r.entries().stream().map(RankedEndpoint::bucket).collect(Collectors.toList()));
                    assertEquals(Outcome.TIMEOUT, r.entries().get(3).outcome());
                    assertEquals("timeout", r.entries().get(3).error().orElseThrow());
                    assertEquals(1.0, r.entries().get(3).loss());
                })
                .expectComplete().verify(VERIFY);
    }

    @Test
    void anAddressNotYetStartedHoldsTheDecision() {
        // s1 waits for room until 100 ms: it could still be fast, so the choice waits for 100 + 30 ms
        StepVerifier.withVirtualTime(() -> selector(1).select(List.of("s0", "s1"), 1, Flux.merge(
                        attempt(0, 0, 0, 10), attempt(1, 0, 100, 300))))
                .thenAwait(Duration.ofMillis(129))
                .expectNoEvent(Duration.ofMillis(1))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(e -> assertEquals("s0", selection(e).chosen().orElseThrow().address()))
                .thenAwait(Duration.ofSeconds(1))
                .expectNextCount(1)
                .expectComplete().verify(VERIFY);
    }

    @Test
    void aFasterAnswerTightensTheBound() {
        // s0 answers at 50 ms (FAST bound 70 ms), then s1 is still out; s2 answers at 10 ms first:
        // the bound becomes 30 ms and the choice is made at 30 ms.
        StepVerifier.withVirtualTime(() -> selector(1).select(List.of("s0", "s1", "s2"), 1, Flux.merge(
                        attempt(0, 0, 0, 50), attempt(1, 0, 0, 400), attempt(2, 0, 0, 10))))
                .thenAwait(Duration.ofMillis(31))
                .assertNext(e -> {
                    Selection s = selection(e);
                    assertEquals("s2", s.chosen().orElseThrow().address());
                    assertEquals(1, s.group().size());
                    assertTrue(s.decidedAfter().toMillis() == 30, s.toString());
                })
                .thenAwait(Duration.ofSeconds(1))
                .expectNextCount(1)
                .expectComplete().verify(VERIFY);
    }

    @Test
    void decidesWhenAllHaveAnsweredWithoutWaitingForTheBound() {
        StepVerifier.withVirtualTime(() -> selector(1).select(List.of("s0", "s1"), 1, Flux.merge(
                        attempt(0, 0, 0, 5), attempt(1, 0, 0, 8))))
                .thenAwait(Duration.ofMillis(8))
                .assertNext(e -> {
                    assertEquals(8, selection(e).decidedAfter().toMillis());
                    assertEquals(2, selection(e).group().size());
                    assertFalse(selection(e).early());
                })
                .expectNextCount(1)
                .expectComplete().verify(VERIFY);
    }

    @Test
    void nothingReachableMeansNoChoice() {
        StepVerifier.withVirtualTime(() -> selector(1).select(List.of("s0", "s1"), 1, Flux.merge(
                        timeout(0, 0, 0, 500), Flux.just(failed(1, 0, Outcome.INVALID)))))
                .thenAwait(Duration.ofMillis(500))
                .assertNext(e -> {
                    assertFalse(selection(e).chosen().isPresent());
                    assertFalse(selection(e).bucket().isPresent());
                })
                .assertNext(e -> assertTrue(((Ranking) e).entries().stream().allMatch(r -> r.bucket() == Bucket.NONE)))
                .expectComplete().verify(VERIFY);
    }

    @Test
    void withFixedBoundsAndNothingFastTheFastestNonEmptyGroupIsUsed() {
        RttSelector fixed = RttSelector.builder().random(new SplittableRandom(3)::nextInt).clock(VirtualTimeScheduler::get)
                .policy(BucketPolicy.fixed(Duration.ofMillis(50), Duration.ofMillis(250))).build();
        StepVerifier.withVirtualTime(() -> fixed.select(List.of("s0", "s1"), 1, Flux.merge(
                        attempt(0, 0, 0, 200), attempt(1, 0, 0, 300))))
                .thenAwait(Duration.ofMillis(300))
                .assertNext(e -> {
                    assertEquals("s0", selection(e).chosen().orElseThrow().address());
                    assertEquals(Bucket.AVERAGE, selection(e).bucket().orElseThrow());
                })
                .expectNextCount(1)
                .expectComplete().verify(VERIFY);
    }

    @Test
    void severalSamplesRankByMedianAndReportLoss() {
        // s0: 10, 30, timeout -> median 20 ms, loss 1/3; s1: 20, 20, 20 -> median 20 ms, no loss
        Flux<ProbeEvent> events = Flux.just(
                started(0, 0), ok(0, 0, 10_000), started(0, 1), ok(0, 1, 30_000), started(0, 2), failed(0, 2, Outcome.TIMEOUT),
                started(1, 0), ok(1, 0, 20_000), started(1, 1), ok(1, 1, 20_000), started(1, 2), ok(1, 2, 20_000));
        Ranking r = RttSelector.builder().random(new SplittableRandom(1)::nextInt).build().select(List.of("s0", "s1"), 3, events).ofType(Ranking.class).blockLast(Duration.ofSeconds(5));
        assertEquals("s1", r.entries().get(0).address());
        RankedEndpoint s0 = r.entries().get(1);
        assertEquals(20_000, s0.rttMicros().getAsLong());
        assertEquals(1.0 / 3, s0.loss(), 1e-9);
        assertEquals(Outcome.OK, s0.outcome());
        assertEquals(3, s0.samples().size());
    }

    @Test
    void withSeveralSamplesTheChoiceWaitsForEachAddresssLastAttempt() {
        // two samples each; s1's second attempt starts at 40 ms: FAST bound is 30 ms -> decide at 70 ms
        StepVerifier.withVirtualTime(() -> selector(1).select(List.of("s0", "s1"), 2, Flux.merge(
                        attempt(0, 0, 0, 10).concatWith(attempt(0, 1, 0, 10)),
                        attempt(1, 0, 0, 40).concatWith(Flux.defer(() -> attempt(1, 1, 0, 400))))))
                .thenAwait(Duration.ofMillis(69))
                .expectNoEvent(Duration.ofMillis(1))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(e -> assertEquals("s0", selection(e).chosen().orElseThrow().address()))
                .thenAwait(Duration.ofSeconds(1))
                .expectNextCount(1)
                .expectComplete().verify(VERIFY);
    }

    @Test
    void pickIsUniformAmongEquallyFastServers() {
        // three servers in one data centre (29, 30, 31 ms): all FAST, each drawn about a third of the time
        RttSelector selector = RttSelector.builder().random(new SplittableRandom(20261125L)::nextInt).build();
        List<String> fleet = List.of("a", "b", "c", "far");
        int[] counts = new int[4];
        int picks = 30_000;
        Flux<ProbeEvent> events = Flux.just(ok(0, 0, 29_000), ok(1, 0, 30_000), ok(2, 0, 31_000), ok(3, 0, 279_000));
        for (int i = 0; i < picks; i++) {
            Selection s = selector.select(fleet, 1, events).ofType(Selection.class).blockFirst();
            counts[s.chosen().orElseThrow().index()]++;
        }
        assertEquals(0, counts[3]);
        for (int i = 0; i < 3; i++) {
            // expected 10,000 each; 4 standard deviations is about 330
            assertTrue(Math.abs(counts[i] - picks / 3) < 400, "counts " + java.util.Arrays.toString(counts));
        }
    }

    @Test
    void pickCancelsProbesStillInFlight() {
        AtomicBoolean cancelled = new AtomicBoolean();
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        RttSelector selector = RttSelector.builder().random(new SplittableRandom(1)::nextInt).clock(() -> vts).build();
        Flux<ProbeEvent> events = Flux.merge(
                        Flux.just(started(0, 0), started(1, 0), ok(0, 0, 5_000)),
                        Flux.<ProbeEvent>never())
                .doOnCancel(() -> cancelled.set(true));
        StepVerifier.create(selector.select(List.of("s0", "s1"), 1, events).ofType(Selection.class).next())
                .then(() -> vts.advanceTimeBy(Duration.ofMillis(26)))
                .assertNext(s -> assertEquals("s0", s.chosen().orElseThrow().address()))
                .expectComplete().verify(VERIFY);
        assertTrue(cancelled.get(), "the probes still out must be cancelled");
    }

    @Test
    void errorsFromTheProberPropagate() {
        StepVerifier.create(RttSelector.create().select(List.of("s0"), 1, Flux.error(new IllegalStateException("prober closed"))))
                .expectErrorMessage("prober closed").verify(VERIFY);
    }

    @Test
    void anEmptyFleetSelectsNothingAtOnce() {
        StepVerifier.create(RttSelector.create().select(List.of(), 1, Flux.empty()))
                .assertNext(e -> assertFalse(selection(e).chosen().isPresent()))
                .assertNext(e -> assertTrue(((Ranking) e).entries().isEmpty()))
                .expectComplete().verify(VERIFY);
    }
}

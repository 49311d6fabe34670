package io.rttpick.prober.engine;

import static io.rttpick.prober.engine.VirtualTransport.NEVER;
import static io.rttpick.prober.engine.VirtualTransport.REFUSED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.prober.Outcome;
import io.rttpick.prober.ProbeEvent;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.RttSample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/**
 * The event loop's rules in virtual time, over a scripted transport: every figure below is exact,
 * because no real clock is read. The real-socket contract suite covers the same rules on the wire.
 */
class EventLoopProberVirtualTimeTest {
    private final VirtualClock clock = new VirtualClock();
    private final VirtualTransport transport = new VirtualTransport(clock);
    private final EventLoopProber<Integer> prober = new EventLoopProber<>("virtual", transport, clock);

    @AfterEach
    void close() {
        prober.close();
    }

    @Test
    void theRateCapSpacesConnectsByItsInterval() {
        List<RttSample> samples = probe(addresses(5, 5), options().maxConnectsPerSecond(10).build());
        assertEquals(5, samples.stream().filter(RttSample::isOk).count(), samples.toString());
        assertEquals(List.of(0L, 100L, 200L, 300L, 400L), transport.times("connect"), transport.log().toString());
    }

    @Test
    void anAddressesNextSampleWaitsTheSpacingAfterTheLastEnded() {
        List<RttSample> samples = probe(addresses(1, 10),
                options().samplesPerEndpoint(3).sampleSpacing(Duration.ofMillis(50)).build());
        assertEquals(List.of(0L, 60L, 120L), transport.times("connect"), transport.log().toString());
        assertEquals(List.of(10_000L, 10_000L, 10_000L),
                samples.stream().map(s -> s.rttMicros().orElse(-1)).collect(Collectors.toList()));
        assertEquals(List.of(Instant.EPOCH, Instant.EPOCH.plusMillis(60), Instant.EPOCH.plusMillis(120)),
                samples.stream().map(RttSample::startedAt).collect(Collectors.toList()),
                "the wall clock is the engine's too");
    }

    @Test
    void anAttemptWithoutAnAnswerIsAbortedAtItsDeadlineAndTimesOut() {
        List<RttSample> samples = probe(List.of(address(NEVER), address(150), address(250)),
                options().timeout(Duration.ofMillis(200)).build());
        assertEquals(List.of(Outcome.TIMEOUT, Outcome.OK, Outcome.TIMEOUT), outcomes(samples));
        assertEquals(150_000L, samples.get(1).rttMicros().orElseThrow());
        assertEquals(List.of(200L, 200L), transport.times("abort"), transport.log().toString());
        assertEquals(0, transport.openNow());
    }

    @Test
    void withoutDescriptorsTheNextConnectWaitsForAnAttemptToEnd() {
        transport.room(2);
        List<RttSample> samples = probe(addresses(5, 10), options().build());
        assertEquals(List.of(Outcome.OK, Outcome.OK, Outcome.OK, Outcome.OK, Outcome.OK), outcomes(samples));
        assertEquals(2, transport.mostOpen());
        assertEquals(List.of(0L, 0L, 10L, 10L, 20L), transport.times("connect"), transport.log().toString());
        assertTrue(transport.count("no room") >= 2, transport.log().toString());
    }

    @Test
    void withoutDescriptorsAndNothingInFlightTheAttemptFailsInsteadOfWaitingForever() {
        transport.room(0);
        List<RttSample> samples = probe(addresses(2, 10), options().build());
        assertEquals(List.of(Outcome.ERROR, Outcome.ERROR), outcomes(samples));
        assertTrue(samples.get(0).error().orElseThrow().startsWith("no room"), samples.toString());
    }

    @Test
    void aConnectThatFailsAtOnceTakesNoRoomInFlight() {
        List<RttSample> samples = probe(List.of(address(REFUSED), address(REFUSED), address(10)),
                options().maxInFlight(1).build());
        assertEquals(List.of(Outcome.REFUSED, Outcome.REFUSED, Outcome.OK), outcomes(samples));
        assertEquals(List.of(0L), transport.times("connect"), "the answering address went at once: " + transport.log());
    }

    @Test
    void cancellingMidRunAbortsWhatIsInFlightAndLaunchesNothingMore() {
        transport.autoAdvance(false);
        List<ProbeEvent> events = new CopyOnWriteArrayList<>();
        Disposable subscription = prober.events(addresses(6, NEVER), options().maxInFlight(3).build())
                .subscribe(events::add);
        await(() -> transport.count("connect") == 3, "three connects");
        subscription.dispose();
        await(() -> transport.openNow() == 0, "every connect aborted");
        transport.autoAdvance(true); // time runs again: nothing of the cancelled run may go or expire
        probe(addresses(1, 10), options().build()); // a later run's turn of the loop, to be sure it went round
        assertEquals(4, transport.count("connect"), transport.log().toString());
        assertEquals(3, transport.count("abort"), transport.log().toString());
        assertTrue(events.stream().noneMatch(e -> e instanceof ProbeEvent.Completed), events.toString());
    }

    @Test
    void closingWithRunsInFlightAbortsTheirConnectsFailsTheRunsAndThenReleasesTheTransport() {
        transport.autoAdvance(false);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        prober.probe(addresses(3, NEVER), options().build()).subscribe(s -> { }, failed::set);
        await(() -> transport.count("connect") == 3, "three connects");
        prober.close();
        await(() -> failed.get() != null, "the run's error");
        assertEquals("prober virtual is closed", failed.get().getMessage());
        List<String> log = transport.log();
        assertEquals(List.of("abort", "abort", "abort", "close"),
                log.subList(3, log.size()).stream().map(l -> l.split(" ")[1]).collect(Collectors.toList()), log.toString());
        assertTrue(transport.isClosed());
    }

    @Test
    void theStartedEventOfEachAttemptPrecedesItsSampleAndTheRunEndsAfterItsLastEvent() {
        List<ProbeEvent> events = prober.events(addresses(300, 1), options().build())
                .collectList().block(Duration.ofSeconds(10));
        assertEquals(600, events.size());
        boolean[] started = new boolean[300];
        for (ProbeEvent e : events) {
            if (e instanceof ProbeEvent.Started) {
                started[e.index()] = true;
            } else {
                assertTrue(started[e.index()], "the sample of " + e.index() + " came before its start");
            }
        }
    }

    private List<RttSample> probe(List<String> addresses, ProbeOptions options) {
        List<RttSample> samples = prober.probe(addresses, options).collectList().block(Duration.ofSeconds(10));
        List<RttSample> sorted = new ArrayList<>(samples);
        sorted.sort(Comparator.comparingInt(RttSample::index).thenComparingInt(RttSample::attempt));
        return sorted;
    }

    private static ProbeOptions.Builder options() {
        return ProbeOptions.builder().timeout(Duration.ofSeconds(1));
    }

    private static List<Outcome> outcomes(List<RttSample> samples) {
        return samples.stream().map(RttSample::outcome).collect(Collectors.toList());
    }

    /** {@code n} addresses that answer after {@code millis} (the port, see {@link VirtualTransport}). */
    private static List<String> addresses(int n, int millis) {
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            addresses.add("127.0.0." + (1 + i % 250) + ":" + millis);
        }
        return addresses;
    }

    private static String address(int port) {
        return "127.0.0.1:" + port;
    }

    /** Real time, for what other threads do (the loop's turn after a cancel or close). */
    private static void await(BooleanSupplier condition, String what) {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < until, "waited 10 s for " + what);
            Thread.onSpinWait();
        }
    }
}

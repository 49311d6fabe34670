package io.rttpick.prober.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rttpick.prober.AddressFamily;
import io.rttpick.prober.ErrorTexts;
import io.rttpick.prober.Handshake;
import io.rttpick.prober.Outcome;
import io.rttpick.prober.ProbeEvent;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.prober.RttSample;
import io.rttpick.prober.SocketAddresses;
import io.rttpick.prober.spi.ProberProvider;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * The behaviour every prober owes its callers, on loopback. A prober's test module extends
 * this class and names its provider; the tests are the same for all (as Netty's transport
 * test suite is for its transports).
 */
public abstract class ProberContractTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    protected ContractTargets servers;
    protected Prober prober;

    /** The provider under test; it must be available where the test runs. */
    protected abstract ProberProvider provider();

    /** How a completed connect ends for this prober ({@code NONE} for one that does not use the port). */
    protected abstract Handshake expectedHandshake();

    /** What the tests probe; loopback servers unless a prober needs others. */
    protected ContractTargets targets() {
        return ContractTargets.loopback();
    }

    @BeforeEach
    void openProber() {
        servers = targets();
        prober = provider().create();
    }

    @AfterEach
    void closeProber() {
        if (prober != null) {
            prober.close();
        }
        servers.close();
    }

    protected static ProbeOptions options(Duration timeout) {
        return ProbeOptions.builder().timeout(timeout).resolver(new FakeResolver()).build();
    }

    protected List<RttSample> probe(List<String> addresses, ProbeOptions options) {
        List<RttSample> samples = prober.probe(addresses, options).collectList().block(WAIT);
        assertTrue(samples != null);
        return samples;
    }

    protected RttSample probeOne(String address, ProbeOptions options) {
        List<RttSample> samples = probe(List.of(address), options);
        assertEquals(1, samples.size(), samples.toString());
        return samples.get(0);
    }

    @Test
    void providerIsAvailableAndNamed() {
        assertTrue(provider().isAvailable(), () -> String.valueOf(provider().unavailabilityCause()));
        assertFalse(provider().unavailabilityCause().isPresent());
        assertEquals(provider().name(), prober.name());
    }

    @Test
    void openPortIsOkWithAnRtt() throws IOException {
        String address = servers.open();
        RttSample s = probeOne(address, options(Duration.ofSeconds(2)));
        assertEquals(Outcome.OK, s.outcome(), s.toString());
        assertTrue(s.rttMicros().getAsLong() >= 0 && s.rttMicros().getAsLong() < 1_000_000, s.toString());
        assertTrue(s.timing().isPresent());
        assertEquals(expectedHandshake(), s.handshake());
        assertEquals(address, SocketAddresses.format(s.resolved().orElseThrow()));
        assertEquals(address, s.address());
        assertFalse(s.error().isPresent());
        assertEquals(provider().name(), s.prober());
    }

    @Test
    void theHandshakeIsReportedAsTheServerSawIt() throws Exception {
        String open = servers.open();
        List<RttSample> samples = probe(Collections.nCopies(20, open), options(Duration.ofSeconds(2)));
        assertTrue(samples.stream().allMatch(s -> s.isOk() && s.handshake() == expectedHandshake()), samples.toString());
        // past the 200 ms a delayed ACK may wait: whatever completed has reached the accept queue by now
        Thread.sleep(400);
        if (expectedHandshake() == Handshake.NONE) {
            assertEquals(0, servers.accepted(), "a prober that does not use the port must not reach the service at all");
        } else if (expectedHandshake() == Handshake.HALF_OPEN) {
            assertEquals(0, servers.accepted(), "a half-open probe must never reach the server's application");
        } else {
            assertEquals(20, servers.accepted(), "every completed handshake is a connection the server accepts");
        }
    }

    @Test
    void ipv6LoopbackWorksToo() throws IOException {
        InetAddress v6;
        try (ServerSocket probe = new ServerSocket()) {
            v6 = InetAddress.getByName("::1");
            probe.bind(new InetSocketAddress(v6, 0));
        } catch (IOException e) {
            assumeTrue(false, "no IPv6 loopback here: " + e.getMessage());
            return;
        }
        String address = servers.open(v6);
        RttSample s = probeOne(address, options(Duration.ofSeconds(2)));
        assertEquals(Outcome.OK, s.outcome(), s.toString());
        assertEquals(address, SocketAddresses.format(s.resolved().orElseThrow()));
    }

    @Test
    void closedPortIsRefused() throws IOException {
        RttSample s = probeOne(servers.closed(), options(Duration.ofSeconds(2)));
        assertEquals(Outcome.REFUSED, s.outcome(), s.toString());
        assertFalse(s.rttMicros().isPresent());
        assertFalse(s.timing().isPresent());
        assertEquals(Handshake.NONE, s.handshake());
        assertTrue(s.error().isPresent());
    }

    @Test
    void silentServerTimesOutAfterItsOwnTimeout() throws IOException {
        Duration timeout = Duration.ofMillis(300);
        RttSample s = probeOne(servers.silent(), options(timeout));
        assertEquals(Outcome.TIMEOUT, s.outcome(), s.toString());
        assertEquals(ErrorTexts.TIMEOUT, s.error().orElseThrow());
        assertEquals("tcp check timeout: I/O timeout", ErrorTexts.TIMEOUT, "the text clients match");
        assertEquals(Handshake.NONE, s.handshake());
        assertFalse(s.rttMicros().isPresent());
    }

    @Test
    void timeoutCountsFromEachAttemptsOwnConnect() throws IOException {
        // one at a time: the third attempt starts ~2 timeouts after the first and still gets a whole timeout
        String hole = servers.silent();
        Duration timeout = Duration.ofMillis(200);
        List<ProbeEvent> events = prober.events(List.of(hole, hole, hole),
                options(timeout).toBuilder().maxInFlight(1).build()).collectList().block(WAIT);
        Map<Integer, Instant> started = new HashMap<>();
        Map<Integer, Instant> completedAt = new HashMap<>();
        for (ProbeEvent e : events) {
            if (e instanceof ProbeEvent.Started) {
                started.put(e.index(), ((ProbeEvent.Started) e).at());
            }
        }
        List<RttSample> samples = completed(events);
        assertEquals(3, samples.size());
        for (RttSample s : samples) {
            assertEquals(Outcome.TIMEOUT, s.outcome());
            assertEquals(started.get(s.index()), s.startedAt());
        }
        List<Instant> starts = new ArrayList<>(started.values());
        Collections.sort(starts);
        assertTrue(Duration.between(starts.get(0), starts.get(2)).compareTo(timeout.multipliedBy(2)) >= 0,
                "attempts must wait for room, not start together: " + starts);
    }

    @Test
    void malformedAddressesAreSamplesThatNameTheInput() throws IOException {
        String open = servers.open();
        List<String> inputs = List.of(open, "1.1.1.1:313121", "not an address", "[::1", "/ip4/1.2.3.4/udp/1",
                "enode://00@1.2.3.4:1", "");
        List<RttSample> samples = probe(inputs, options(Duration.ofSeconds(2)));
        assertEquals(inputs.size(), samples.size());
        Map<Integer, RttSample> byIndex = samples.stream().collect(Collectors.toMap(RttSample::index, s -> s));
        assertEquals(Outcome.OK, byIndex.get(0).outcome());
        for (int i = 1; i < inputs.size(); i++) {
            RttSample s = byIndex.get(i);
            assertEquals(Outcome.INVALID, s.outcome(), s.toString());
            assertEquals(inputs.get(i), s.address());
            assertTrue(s.error().orElseThrow().startsWith("address " + inputs.get(i) + ": "), s.toString());
            assertFalse(s.resolved().isPresent());
            assertEquals(Handshake.NONE, s.handshake());
        }
        assertEquals("address 1.1.1.1:313121: invalid port", byIndex.get(1).error().orElseThrow());
    }

    @Test
    void oneBadAddressAmongAHundredCostsNothingElse() throws IOException {
        String open = servers.open();
        List<String> inputs = new ArrayList<>(Collections.nCopies(100, open));
        inputs.set(42, "127.0.0.1:313121");
        List<RttSample> samples = probe(inputs, options(Duration.ofSeconds(5)));
        assertEquals(100, samples.size());
        Map<Outcome, Long> counts = samples.stream().collect(Collectors.groupingBy(RttSample::outcome, Collectors.counting()));
        assertEquals(Map.of(Outcome.OK, 99L, Outcome.INVALID, 1L), counts);
        RttSample bad = samples.stream().filter(s -> !s.isOk()).findFirst().orElseThrow();
        assertEquals(42, bad.index());
        assertTrue(bad.error().orElseThrow().contains("invalid port"));
    }

    @Test
    void duplicatesAreKeptEachWithItsOwnIndex() throws IOException {
        String open = servers.open();
        List<RttSample> samples = probe(List.of(open, open, open), options(Duration.ofSeconds(2)));
        assertEquals(Set.of(0, 1, 2), samples.stream().map(RttSample::index).collect(Collectors.toSet()));
        assertTrue(samples.stream().allMatch(RttSample::isOk), samples.toString());
    }

    @Test
    void namesGoThroughTheInjectedResolverAndFailuresAreSamples() throws IOException {
        String open = servers.open();
        int port = Integer.parseInt(open.substring(open.lastIndexOf(':') + 1));
        FakeResolver resolver = new FakeResolver().map("mail.test", "127.0.0.1");
        ProbeOptions options = options(Duration.ofSeconds(2)).toBuilder().resolver(resolver).build();
        List<RttSample> samples = probe(List.of("mail.test:" + port, "nowhere.test:" + port), options);
        Map<String, RttSample> byAddress = samples.stream().collect(Collectors.toMap(RttSample::address, s -> s));
        RttSample ok = byAddress.get("mail.test:" + port);
        assertEquals(Outcome.OK, ok.outcome(), ok.toString());
        assertEquals("127.0.0.1:" + port, SocketAddresses.format(ok.resolved().orElseThrow()));
        RttSample failed = byAddress.get("nowhere.test:" + port);
        assertEquals(Outcome.RESOLVE_FAILED, failed.outcome());
        assertTrue(failed.error().orElseThrow().contains("nowhere.test"), failed.toString());
        assertEquals(2, resolver.lookups());
    }

    @Test
    void familyPreferencePicksTheFirstAddressOfThatFamily() throws IOException {
        String open = servers.open();
        int port = Integer.parseInt(open.substring(open.lastIndexOf(':') + 1));
        FakeResolver resolver = new FakeResolver()
                .map("dual.test", "::1", "127.0.0.1")
                .map("v6only.test", "::1");
        ProbeOptions v4 = options(Duration.ofSeconds(2)).toBuilder().resolver(resolver).family(AddressFamily.IPV4).build();
        RttSample s = probeOne("dual.test:" + port, v4);
        assertEquals("127.0.0.1:" + port, SocketAddresses.format(s.resolved().orElseThrow()));
        assertEquals(Outcome.OK, s.outcome());
        RttSample none = probeOne("v6only.test:" + port, v4);
        assertEquals(Outcome.RESOLVE_FAILED, none.outcome());
        assertTrue(none.error().orElseThrow().contains("no IPv4 address"), none.toString());
        // the notation's own family wins over the option
        ProbeOptions v6 = v4.toBuilder().family(AddressFamily.IPV6).build();
        RttSample dns4 = probeOne("/dns4/dual.test/tcp/" + port, v6);
        assertEquals("127.0.0.1:" + port, SocketAddresses.format(dns4.resolved().orElseThrow()));
        RttSample any = probeOne("dual.test:" + port, v4.toBuilder().family(AddressFamily.ANY).build());
        assertEquals("[::1]:" + port, SocketAddresses.format(any.resolved().orElseThrow()));
    }

    @Test
    void severalSamplesPerAddressComeOneAfterAnother() throws IOException {
        String open = servers.open();
        List<ProbeEvent> events = prober.events(List.of(open, open),
                options(Duration.ofSeconds(2)).toBuilder().samplesPerEndpoint(3).build()).collectList().block(WAIT);
        List<RttSample> samples = completed(events);
        assertEquals(6, samples.size());
        for (int index = 0; index < 2; index++) {
            int i = index;
            assertEquals(List.of(0, 1, 2), samples.stream().filter(s -> s.index() == i)
                    .map(RttSample::attempt).sorted().collect(Collectors.toList()));
        }
        // never two attempts of one address in flight at once
        Map<Integer, Integer> open_ = new HashMap<>();
        for (ProbeEvent e : events) {
            int delta = e instanceof ProbeEvent.Started ? 1 : -1;
            int now = open_.merge(e.index(), delta, Integer::sum);
            assertTrue(now <= 1, "two attempts of #" + e.index() + " at once: " + events);
        }
    }

    @Test
    void spacedSamplesWaitTheirSpacingAfterThePreviousAttemptEnds() throws IOException {
        String open = servers.open();
        List<ProbeEvent> events = prober.events(List.of(open, open), options(Duration.ofSeconds(2)).toBuilder()
                .samplesPerEndpoint(3).sampleSpacing(Duration.ofMillis(80)).build()).collectList().block(WAIT);
        assertEquals(6, completed(events).stream().filter(RttSample::isOk).count());
        for (int index = 0; index < 2; index++) {
            int i = index;
            List<Instant> starts = events.stream().filter(e -> e instanceof ProbeEvent.Started && e.index() == i)
                    .map(e -> ((ProbeEvent.Started) e).at()).collect(Collectors.toList());
            assertEquals(3, starts.size());
            for (int k = 1; k < 3; k++) {
                // the previous attempt took at least 0 ms, then the 80 ms pause (minus clock granularity)
                Duration gap = Duration.between(starts.get(k - 1), starts.get(k));
                assertTrue(gap.compareTo(Duration.ofMillis(75)) >= 0, "attempt " + k + " of #" + i + " came " + gap
                        + " after the previous one");
            }
        }
    }

    @Test
    void everyAttemptIsAnnouncedBeforeItsSampleAndMaxInFlightHolds() throws IOException {
        String hole = servers.silent();
        String open = servers.open();
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            inputs.add(i % 3 == 0 ? open : hole);
        }
        List<ProbeEvent> events = prober.events(inputs, options(Duration.ofMillis(150)).toBuilder().maxInFlight(4).build())
                .collectList().block(WAIT);
        int inFlight = 0;
        int max = 0;
        Map<String, Boolean> announced = new HashMap<>();
        for (ProbeEvent e : events) {
            if (e instanceof ProbeEvent.Started) {
                ProbeEvent.Started s = (ProbeEvent.Started) e;
                announced.put(s.index() + "#" + s.attempt(), true);
                max = Math.max(max, ++inFlight);
            } else {
                RttSample s = ((ProbeEvent.Completed) e).sample();
                assertTrue(announced.containsKey(s.index() + "#" + s.attempt()), "no Started before " + s);
                inFlight--;
            }
        }
        assertEquals(0, inFlight);
        assertTrue(max <= 4, "max in flight was " + max);
        assertEquals(12, completed(events).size());
    }

    @Test
    void aRateCapSpacesTheConnects() throws IOException {
        String open = servers.open();
        List<ProbeEvent> events = prober.events(Collections.nCopies(11, open),
                options(Duration.ofSeconds(2)).toBuilder().maxConnectsPerSecond(50).build()).collectList().block(WAIT);
        List<Instant> starts = events.stream().filter(ProbeEvent.Started.class::isInstance)
                .map(e -> ((ProbeEvent.Started) e).at()).sorted().collect(Collectors.toList());
        assertEquals(11, starts.size());
        assertEquals(11, completed(events).stream().filter(RttSample::isOk).count());
        // 50 per second: 20 ms apart, so 10 gaps take at least 200 ms (minus clock granularity)
        Duration span = Duration.between(starts.get(0), starts.get(10));
        assertTrue(span.compareTo(Duration.ofMillis(190)) >= 0, "11 connects at 50/s took only " + span);
    }

    @Test
    void cancellingClosesEverySocketStillOpen() throws Exception {
        assumeTrue(OpenFiles.countable(), "needs /proc/self/fd");
        String hole = servers.silent();
        List<String> inputs = Collections.nCopies(50, hole);
        // warm up threads and lazily opened files so that the baseline is stable
        probe(List.of(servers.closed()), options(Duration.ofSeconds(2)));
        int before = OpenFiles.count();
        CountDownLatch allStarted = new CountDownLatch(50);
        Disposable run = prober.events(inputs, options(Duration.ofSeconds(30)))
                .subscribe(e -> {
                    if (e instanceof ProbeEvent.Started) {
                        allStarted.countDown();
                    }
                });
        assertTrue(allStarted.await(10, TimeUnit.SECONDS), "attempts did not start");
        int during = OpenFiles.count();
        // most of the 50 are open (an unlucky one may have been answered and closed already)
        assertTrue(during >= before + 40, "expected about 50 sockets open, had " + before + " then " + during);
        run.dispose();
        int after = OpenFiles.awaitCount(n -> n <= before, Duration.ofSeconds(5));
        assertTrue(after <= before, "sockets left open after cancel: " + before + " before, " + after + " after");
    }

    @Test
    void concurrentCallsDoNotMix() throws Exception {
        String open = servers.open();
        String closed = servers.closed();
        Flux<RttSample> a = prober.probe(Collections.nCopies(20, open), options(Duration.ofSeconds(5)));
        Flux<RttSample> b = prober.probe(Collections.nCopies(20, closed), options(Duration.ofSeconds(5)));
        List<List<RttSample>> both = Flux.merge(a.collectList(), b.collectList()).collectList().block(WAIT);
        List<RttSample> fromA = both.stream().filter(l -> l.get(0).address().equals(open)).findFirst().orElseThrow();
        List<RttSample> fromB = both.stream().filter(l -> l.get(0).address().equals(closed)).findFirst().orElseThrow();
        assertEquals(20, fromA.size());
        assertEquals(20, fromB.size());
        assertTrue(fromA.stream().allMatch(RttSample::isOk));
        assertTrue(fromB.stream().allMatch(s -> s.outcome() == Outcome.REFUSED));
    }

    @Test
    void localSourceAddressIsUsedAndAnUnusableOneIsAnError() throws IOException {
        String open = servers.open();
        ProbeOptions bound = options(Duration.ofSeconds(2)).toBuilder()
                .localAddress(InetAddress.getLoopbackAddress()).build();
        assertEquals(Outcome.OK, probeOne(open, bound).outcome());
        // 192.0.2.1 (TEST-NET-1) is on no interface here: bind fails locally, nothing is sent
        ProbeOptions unusable = bound.toBuilder().localAddress(InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1})).build();
        RttSample s = probeOne(open, unusable);
        assertEquals(Outcome.ERROR, s.outcome(), s.toString());
        assertTrue(s.error().orElseThrow().contains("192.0.2.1"), s.toString());
    }

    @Test
    void emptyListCompletesAtOnce() {
        StepVerifier.create(prober.events(List.of(), options(Duration.ofSeconds(1)))).expectComplete().verify(WAIT);
    }

    @Test
    void threadsAreDaemonsAndCloseStopsThem() {
        Set<Thread> mine = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("rttpick-" + provider().name()))
                .collect(Collectors.toSet());
        assertFalse(mine.isEmpty(), "expected named prober threads");
        assertTrue(mine.stream().allMatch(Thread::isDaemon), mine.toString());
        prober.close();
        for (Thread t : mine) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Thread> alive = mine.stream().filter(Thread::isAlive).collect(Collectors.toList());
        // the delivery thread of another test's prober may share the prefix; ours must be gone
        assertTrue(alive.stream().noneMatch(t -> t.getName().endsWith(threadSuffix(mine))), alive.toString());
        assertThrows(IllegalStateException.class,
                () -> prober.probe(List.of("127.0.0.1:1"), options(Duration.ofSeconds(1))).blockLast(WAIT));
    }

    private static String threadSuffix(Set<Thread> threads) {
        // every thread of one prober ends in its own sequence number; take the highest (this test's)
        return "-" + threads.stream().map(t -> t.getName().substring(t.getName().lastIndexOf('-') + 1))
                .max(Comparator.comparingInt(Integer::parseInt)).orElse("?");
    }

    @Test
    void manyAddressesAllGetASample() throws IOException {
        String open = servers.open();
        String closed = servers.closed();
        List<String> inputs = IntStream.range(0, 2000).mapToObj(i -> i % 2 == 0 ? open : closed).collect(Collectors.toList());
        List<RttSample> samples = probe(inputs, options(Duration.ofSeconds(10)).toBuilder().maxInFlight(128).build());
        assertEquals(2000, samples.size());
        assertEquals(1000, samples.stream().filter(RttSample::isOk).count());
        assertNotEquals(0, samples.stream().filter(s -> s.outcome() == Outcome.REFUSED).count());
    }

    protected static List<RttSample> completed(List<ProbeEvent> events) {
        return events.stream().filter(ProbeEvent.Completed.class::isInstance)
                .map(e -> ((ProbeEvent.Completed) e).sample()).collect(Collectors.toList());
    }
}

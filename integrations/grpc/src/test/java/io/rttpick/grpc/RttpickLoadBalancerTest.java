package io.rttpick.grpc;

import static io.grpc.ConnectivityState.CONNECTING;
import static io.grpc.ConnectivityState.IDLE;
import static io.grpc.ConnectivityState.READY;
import static io.grpc.ConnectivityState.TRANSIENT_FAILURE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.EquivalentAddressGroup;
import io.grpc.LoadBalancer.ResolvedAddresses;
import io.grpc.NameResolver.ConfigOrError;
import io.grpc.Status;
import io.rttpick.grpc.FakeHelper.FakeSubchannel;
import io.rttpick.prober.Prober;
import io.rttpick.prober.testing.ScriptedProber;
import io.rttpick.selector.FleetSelector;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The balancer as a state machine, with a fake channel ({@link FakeHelper}) and a fake clock for
 * its timers, the selector's probes scripted in virtual time (issue 36: each defect found in the
 * review has a test here that fails on the balancer before it).
 */
class RttpickLoadBalancerTest {
    private static final int A = 1001;
    private static final int B = 1002;
    private static final int C = 1003;
    private static final int P = 1009;

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final ScriptedProber prober = new ScriptedProber(time);
    private final SplittableRandom random = new SplittableRandom(7);
    private final SharedSelectors shared = new SharedSelectors();
    private final List<RttpickLoadBalancer> balancers = new ArrayList<>();

    @AfterEach
    void shutdown() {
        for (RttpickLoadBalancer lb : balancers) {
            lb.shutdown();
        }
        time.dispose();
    }

    // a call can hang

    @Test
    void whenTheNextServerFailsAndTheConnectionInUseDropsCallsFailAndARetryComesNotAHang() {
        prober.set(key(A), 10).set(key(B), 100); // A alone in the fastest group: the choice is not a draw
        FakeHelper h = new FakeHelper();
        RttpickLoadBalancer lb = balancer(h);
        resolve(h, lb, null, A, B);
        probeDone();
        FakeSubchannel a = h.to(A).get(0);
        a.is(READY);
        assertEquals(READY, h.state());
        resolve(h, lb, null, B); // the resolver drops A: B connects while A still serves
        FakeSubchannel b = h.to(B).get(0);
        b.is(TRANSIENT_FAILURE);
        assertSame(a, h.pick().getSubchannel(), "A still carries the calls");
        a.is(IDLE); // A drops too: nothing ready, nothing connecting
        assertEquals(TRANSIENT_FAILURE, h.state(), "calls must fail (wait-for-ready ones wait), not wait for nothing");
        assertFalse(h.pick().getStatus().isOk());
        assertEquals(1, h.clock.pendingDelays().size(), "a retry is scheduled");
        h.clock.forward(Backoff.MAX_MILLIS);
        assertTrue(b.connectionRequests >= 2, "B was tried again after the backoff");
        b.is(READY);
        assertEquals(READY, h.state());
        assertSame(b, h.pick().getSubchannel());
    }

    @Test
    void failuresMoveThroughTheServersFastestFirstNotInTheResolversOrder() {
        prober.set(key(C), 200).set(key(B), 100).set(key(A), 10); // the resolver lists the slowest first
        FakeHelper h = new FakeHelper();
        RttpickLoadBalancer lb = balancer(h);
        resolve(h, lb, null, C, B, A);
        probeDone();
        h.to(A).get(0).is(READY);
        h.to(A).get(0).is(IDLE);
        h.pick();
        h.to(A).get(0).is(TRANSIENT_FAILURE);
        time.advanceTimeBy(Duration.ofSeconds(1));
        assertEquals(1, h.to(B).size(), "after A, B (100 ms)");
        assertEquals(0, h.to(C).size(), "not C (200 ms), first in the resolver's list");
        h.to(B).get(0).is(TRANSIENT_FAILURE);
        time.advanceTimeBy(Duration.ofSeconds(1));
        assertEquals(1, h.to(C).size(), "then C");
        // the retry after a failed pass starts again from the fastest
        h.to(C).get(0).is(TRANSIENT_FAILURE);
        h.clock.forward(Backoff.MAX_MILLIS);
        time.advanceTimeBy(Duration.ofSeconds(1));
        assertTrue(h.to(A).size() >= 2 || h.to(A).get(0).connectionRequests >= 3, "the retry went to A first");
    }

    // names re-resolved; sticky TRANSIENT_FAILURE; grpc's backoff; resetConnectBackoff

    @Test
    void nameResolutionIsRefreshedWhenTheConnectionGoesIdleAndWhenTheChosenServerFails() {
        FakeHelper h = new FakeHelper();
        RttpickLoadBalancer lb = balancer(h);
        resolve(h, lb, null, A);
        FakeSubchannel a = h.to(A).get(0);
        a.is(READY);
        a.is(IDLE);
        assertEquals(1, h.refreshes.get(), "READY -> IDLE refreshes, as pick_first");
        assertEquals(IDLE, h.state());
        h.pick(); // a call: the connection is asked for again
        assertEquals(2, a.connectionRequests);
        a.is(CONNECTING);
        a.is(TRANSIENT_FAILURE);
        assertEquals(2, h.refreshes.get(), "a failure of the chosen server refreshes");
    }

    @Test
    void transientFailureIsStickyAndRetriesFollowGrpcsBackoffWithJitter() {
        FakeHelper h = new FakeHelper();
        RttpickLoadBalancer lb = balancer(h);
        resolve(h, lb, null, A);
        FakeSubchannel a = h.to(A).get(0);
        long expected = Backoff.INITIAL_MILLIS;
        for (int i = 0; i < 6; i++) {
            a.is(TRANSIENT_FAILURE);
            assertEquals(TRANSIENT_FAILURE, h.state());
            long delay = h.clock.pendingDelays().get(0);
            assertTrue(delay >= expected * 0.8 - 1 && delay <= expected * 1.2 + 1, "retry " + i + " after " + delay + " ms, "
                    + "expected " + expected + " +-20 %");
            int before = a.connectionRequests;
            h.clock.forward(delay);
            assertEquals(before + 1, a.connectionRequests);
            a.is(CONNECTING);
            assertEquals(TRANSIENT_FAILURE, h.state(), "sticky: CONNECTING does not end TRANSIENT_FAILURE");
            expected = Math.min(Backoff.MAX_MILLIS, Math.round(expected * Backoff.MULTIPLIER));
        }
        a.is(READY);
        assertEquals(READY, h.state());
    }

    @Test
    void backoffDelaysAreSpreadNotInLockstep() {
        Set<Long> first = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            first.add(new Backoff(new SplittableRandom(i)::nextDouble).nextMillis());
        }
        assertTrue(first.size() > 10, "20 clients' first retries: " + first);
        Backoff b = new Backoff(() -> 0.5);
        List<Long> steps = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            steps.add(b.nextMillis());
        }
        assertEquals(List.of(1000L, 1600L, 2560L, 4096L, 6554L, 10486L, 16777L, 26844L, 42950L, 68719L, 109951L, 120000L), steps);
    }

    @Test
    void aNewResolutionWhileFailingRetriesAtOnceAsResetConnectBackoffAsks() {
        FakeHelper h = new FakeHelper();
        RttpickLoadBalancer lb = balancer(h);
        resolve(h, lb, null, A);
        FakeSubchannel a = h.to(A).get(0);
        a.is(TRANSIENT_FAILURE);
        assertEquals(1, a.connectionRequests);
        resolve(h, lb, null, A); // the channel's resetConnectBackoff() refreshes the resolver
        assertEquals(2, a.connectionRequests, "retried at the new resolution, not after the backoff");
    }

    // timers and shutdown

    @Test
    void noSubchannelIsCreatedAfterShutdownAndReplacedTimersAreCancelled() {
        FakeHelper h = new FakeHelper(); // nobody answers the probe: the first-choice deadline is pending
        RttpickLoadBalancer lb = balancer(h);
        resolve(h, lb, null, A, B);
        resolve(h, lb, config(Map.of("probeTimeoutMs", 300.0)), A, B); // a new config: a new selector and deadline
        assertEquals(1, h.clock.pendingDelays().size(), "the replaced deadline was cancelled: " + h.clock.pendingDelays());
        h.run(lb::shutdown);
        h.clock.forward(10_000);
        time.advanceTimeBy(Duration.ofSeconds(10));
        assertTrue(h.subchannels.isEmpty(), "a subchannel after shutdown: " + h.subchannels.size());
    }

    // the pin: preferred, normalised, warned, named

    @Test
    void thePinnedServerFailsTheBestOtherServesAndThePinReturnsAtTheBackoffsNextAttempt() {
        prober.set(key(A), 10).set(key(B), 100); // A alone in the fastest group: the choice is not a draw
        FakeHelper h = new FakeHelper();
        RttpickLoadBalancer lb = balancer(h);
        resolve(h, lb, config(Map.of("pin", key(P))), A, B, P);
        FakeSubchannel p = h.to(P).get(0);
        assertEquals(0, prober.calls(), "the pin is used without probing");
        p.is(READY);
        p.is(IDLE);
        h.pick();
        p.is(TRANSIENT_FAILURE); // the pinned server stopped
        probeDone();
        FakeSubchannel a = h.to(A).get(0);
        a.is(READY);
        assertEquals(READY, h.state());
        assertSame(a, h.pick().getSubchannel(), "the best of the others serves");
        long pinRetry = h.clock.pendingDelays().get(0);
        assertTrue(pinRetry >= 800 && pinRetry <= 1200, "the pin's first retry after " + pinRetry + " ms");
        h.clock.forward(pinRetry - 1);
        assertEquals(1, h.to(P).size(), "not before the backoff's step");
        h.clock.forward(1);
        assertEquals(2, h.to(P).size(), "the pin tried again exactly at the backoff's step");
        FakeSubchannel p2 = h.to(P).get(1);
        assertSame(a, h.pick().getSubchannel(), "A serves while the pin connects");
        p2.is(READY);
        assertSame(p2, h.pick().getSubchannel(), "the pin is back");
        assertTrue(a.shutdown);
    }

    @Test
    void aPinThatFailsAgainLeavesTheOthersServingAndItsNextTryWaitsLonger() {
        prober.set(key(A), 10).set(key(B), 100); // A alone in the fastest group: the choice is not a draw
        FakeHelper h = new FakeHelper();
        RttpickLoadBalancer lb = balancer(h);
        resolve(h, lb, config(Map.of("pin", key(P))), A, B, P);
        h.to(P).get(0).is(TRANSIENT_FAILURE);
        probeDone();
        FakeSubchannel a = h.to(A).get(0);
        a.is(READY);
        long first = h.clock.pendingDelays().get(0);
        h.clock.forward(first);
        h.to(P).get(1).is(TRANSIENT_FAILURE);
        assertSame(a, h.pick().getSubchannel(), "A serves on");
        assertEquals(READY, h.state());
        long second = h.clock.pendingDelays().get(0);
        assertTrue(second >= 1280 && second <= 1920, "the second try after " + second + " ms");
    }

    @Test
    void aPinIsMatchedAsTheSelectorMatchesServers() {
        FakeHelper h = new FakeHelper();
        RttpickLoadBalancer lb = balancer(h);
        ConfigOrError parsed = RttpickPolicyConfig.parse(Map.of("pin", "[0:0:0:0:0:0:0:1]:" + P));
        assertNull(parsed.getError());
        h.run(() -> lb.acceptResolvedAddresses(ResolvedAddresses.newBuilder()
                .setAddresses(List.of(group(new InetSocketAddress("::1", P)), group(new InetSocketAddress("127.0.0.1", A))))
                .setLoadBalancingPolicyConfig(parsed.getConfig()).build()));
        assertEquals(1, h.subchannels.size());
        assertEquals(P, h.subchannels.get(0).port(), "[::1] and [0:0:0:0:0:0:0:1] are one server");
        assertEquals(0, prober.calls());
    }

    @Test
    void aPinOutsideTheFleetIsWarnedWhereUsersSeeItAndNamedWhenNothingServes() {
        List<LogRecord> warnings = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger.getLogger("io.rttpick.grpc").addHandler(handler);
        try {
            FakeHelper h = new FakeHelper();
            RttpickLoadBalancer lb = balancer(h);
            resolve(h, lb, config(Map.of("pin", "127.0.0.1:4242")), A);
            assertEquals(1, warnings.size(), "one WARNING on io.rttpick.grpc");
            assertTrue(java.text.MessageFormat.format(warnings.get(0).getMessage(), warnings.get(0).getParameters())
                    .contains("127.0.0.1:4242"));
            h.to(A).get(0).is(TRANSIENT_FAILURE);
            String status = h.pick().getStatus().getDescription();
            assertTrue(status.contains("127.0.0.1:4242") && status.contains("not among the resolver's addresses"), status);
        } finally {
            java.util.logging.Logger.getLogger("io.rttpick.grpc").removeHandler(handler);
        }
    }

    @Test
    void theConfigFollowsGrpcsConventions() {
        ConfigOrError seconds = RttpickPolicyConfig.parse(Map.of("probeTimeout", "1.5s", "coolOff", "90s"));
        assertNull(seconds.getError());
        assertEquals(Duration.ofMillis(1500), ((RttpickPolicyConfig) seconds.getConfig()).probeTimeout());
        assertEquals(Duration.ofSeconds(90), ((RttpickPolicyConfig) seconds.getConfig()).coolOff());
        for (Map<String, ?> bad : List.of(Map.of("probeTimeoutMs", 20_000.0), Map.of("probeTimeout", "11s"),
                Map.of("probeTimeout", "fast"), Map.of("probeTimeoutMs", 500.0, "probeTimeout", "0.5s"), Map.of("pin", "10.0.0.7"),
                Map.of("pin", 7.0))) {
            ConfigOrError e = RttpickPolicyConfig.parse(bad);
            assertNotNull(e.getError(), bad.toString());
            assertEquals(Status.Code.UNAVAILABLE, e.getError().getCode(), bad + ": " + e.getError());
        }
    }

    // errors

    @Test
    void aSelectorThatCannotBeMadeIsAnUnavailableStatusAndTheResolversOrderServes() {
        FakeHelper h = new FakeHelper();
        RttpickLoadBalancer lb = balancer(h, () -> prober, b -> {
            throw new IllegalStateException("test: no selector today");
        });
        AtomicReference<Status> status = new AtomicReference<>();
        h.run(() -> status.set(lb.acceptResolvedAddresses(resolved(null, A, B))));
        assertEquals(Status.Code.UNAVAILABLE, status.get().getCode());
        assertTrue(status.get().getDescription().contains("no selector today"), status.get().toString());
        assertEquals(A, h.subchannels.get(0).port(), "the resolver's first address");
        assertTrue(h.log.stream().anyMatch(l -> l.startsWith("WARNING") && l.contains("no selector today")), h.log.toString());
    }

    @Test
    void aSelectorsErrorReachesTheChannelsLog() {
        prober.set(key(A), 10).set(key(B), 100); // A alone in the fastest group: the choice is not a draw
        FakeHelper h = new FakeHelper();
        RttpickLoadBalancer lb = balancer(h, () -> prober, b -> b.clock(() -> time).maxServers(2));
        resolve(h, lb, null, A, B);
        probeDone();
        resolve(h, lb, null, A, B, C); // over the selector's cap: its Mono fails
        assertTrue(h.log.stream().anyMatch(l -> l.startsWith("WARNING") && l.contains("fleet selector failed")), h.log.toString());
    }

    @Test
    void aResolverErrorLeavesTheConnectionThatServesAlone() {
        prober.set(key(A), 10).set(key(B), 100); // A alone in the fastest group: the choice is not a draw
        FakeHelper h = new FakeHelper();
        RttpickLoadBalancer lb = balancer(h);
        resolve(h, lb, null, A, B);
        probeDone();
        FakeSubchannel a = h.to(A).get(0);
        a.is(READY);
        resolve(h, lb, null, B); // B connects; A still serves
        h.to(B).get(0).is(CONNECTING);
        h.run(() -> lb.handleNameResolutionError(Status.UNAVAILABLE.withDescription("DNS down")));
        assertNotEquals(TRANSIENT_FAILURE, h.state());
        assertSame(a, h.pick().getSubchannel(), "A carries the calls on");
    }

    @Test
    void withoutAProberFailuresMoveThroughTheResolversList() {
        FakeHelper h = new FakeHelper();
        Supplier<Prober> none = () -> {
            throw new IllegalStateException("no prober here");
        };
        RttpickLoadBalancer lb = balancer(h, none, UnaryOperator.identity());
        resolve(h, lb, null, A, B, C);
        h.to(A).get(0).is(TRANSIENT_FAILURE);
        h.to(B).get(0).is(TRANSIENT_FAILURE);
        assertEquals(1, h.to(C).size(), "past the first address: B, then C");
        h.to(C).get(0).is(TRANSIENT_FAILURE);
        assertEquals(TRANSIENT_FAILURE, h.state());
        assertEquals(1, h.clock.pendingDelays().size(), "a full pass failed: a retry after the backoff");
    }

    @Test
    void withNoAnswerToTheProbeAFailureMovesPastTheFirstAddress() {
        FakeHelper h = new FakeHelper(); // nobody answers the probe
        RttpickLoadBalancer lb = balancer(h);
        resolve(h, lb, null, A, B);
        time.advanceTimeBy(Duration.ofSeconds(2)); // the probe ends with no answer
        h.clock.forward(RttpickLoadBalancer.FIRST_CHOICE_MARGIN_MILLIS + 500);
        assertEquals(1, h.to(A).size());
        h.to(A).get(0).is(TRANSIENT_FAILURE);
        time.advanceTimeBy(Duration.ofSeconds(2));
        assertEquals(1, h.to(B).size(), "B after A failed");
    }

    // one selector per fleet

    @Test
    void channelsOfOneFleetShareASelectorAndOneFailureCountsOnce() {
        prober.set(key(A), 10).set(key(B), 100); // A alone in the fastest group: the choice is not a draw
        FakeHelper h1 = new FakeHelper();
        FakeHelper h2 = new FakeHelper();
        RttpickLoadBalancer lb1 = balancer(h1);
        RttpickLoadBalancer lb2 = balancer(h2);
        resolve(h1, lb1, null, A, B);
        resolve(h2, lb2, null, B, A); // the same fleet in another order
        probeDone();
        assertEquals(1, prober.calls(), "one probe for both channels");
        assertEquals(1, shared.size());
        h1.to(A).get(0).is(TRANSIENT_FAILURE);
        h2.to(A).get(0).is(TRANSIENT_FAILURE);
        SharedSelectors.Lease look = shared.acquire(List.of(key(A), key(B)), RttpickPolicyConfig.DEFAULTS, s -> null);
        FleetSelector selector = look.selector();
        time.advanceTimeBy(RttpickPolicyConfig.DEFAULT_COOL_OFF.plusSeconds(1));
        assertTrue(selector.isUsable(key(A)), "two channels' reports of one failure cooled A off once (120 s), not twice");
        look.release();
        h1.run(lb1::shutdown);
        h2.run(lb2::shutdown);
        assertEquals(0, shared.size(), "closed with its last user");
    }

    @Test
    void aSingleAddressIsNotProbed() {
        prober.set(key(A), 10);
        FakeHelper h = new FakeHelper();
        RttpickLoadBalancer lb = balancer(h);
        resolve(h, lb, null, A);
        assertEquals(1, h.subchannels.size());
        assertEquals(0, prober.calls());
        assertEquals(0, shared.size());
    }

    // fixtures

    private RttpickLoadBalancer balancer(FakeHelper h) {
        return balancer(h, () -> prober, b -> b.clock(() -> time));
    }

    /** A balancer of this test's shared selectors and seeded draw, shut down after the test. */
    private RttpickLoadBalancer balancer(FakeHelper h, Supplier<Prober> probers, UnaryOperator<FleetSelector.Builder> customize) {
        RttpickLoadBalancer lb = new RttpickLoadBalancer(h, probers, customize, shared, random::nextInt);
        balancers.add(lb);
        return lb;
    }

    /** The probe's answers all in: the choice made and handed to the balancers. */
    private void probeDone() {
        time.advanceTimeBy(Duration.ofSeconds(1));
    }

    private static Object config(Map<String, ?> raw) {
        ConfigOrError c = RttpickPolicyConfig.parse(raw);
        assertNull(c.getError());
        return c.getConfig();
    }

    private static void resolve(FakeHelper h, RttpickLoadBalancer lb, Object config, int... ports) {
        h.run(() -> lb.acceptResolvedAddresses(resolved(config, ports)));
    }

    private static ResolvedAddresses resolved(Object config, int... ports) {
        List<EquivalentAddressGroup> groups = new ArrayList<>();
        for (int port : ports) {
            groups.add(group(new InetSocketAddress("127.0.0.1", port)));
        }
        return ResolvedAddresses.newBuilder().setAddresses(groups).setLoadBalancingPolicyConfig(config).build();
    }

    private static EquivalentAddressGroup group(InetSocketAddress a) {
        return new EquivalentAddressGroup(a);
    }

    private static String key(int port) {
        return "127.0.0.1:" + port;
    }

}

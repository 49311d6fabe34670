package io.rttpick.selector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.prober.InvalidEndpointException;
import io.rttpick.prober.testing.ScriptedProber;
import io.rttpick.selector.FleetChoice.Cause;
import io.rttpick.selector.FleetChoice.ProbeAction;
import io.rttpick.selector.FleetChoice.Reason;
import io.rttpick.selector.FleetChoice.Source;
import io.rttpick.selector.FleetSelector.Trigger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/** What the fleet selector promises its callers: commands act when called, servers are one however spelled, options are checked. */
class FleetSelectorContractTest {
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

    private FleetSelector selector(List<String> fleet) {
        return FleetSelector.builder(prober, fleet).random(new SplittableRandom(1)::nextInt).clock(() -> time).build();
    }

    private <T> T await(Mono<T> answer) {
        AtomicReference<T> out = new AtomicReference<>();
        answer.subscribe(out::set);
        for (int i = 0; i < 100 && out.get() == null; i++) {
            time.advanceTimeBy(Duration.ofMillis(100));
        }
        assertTrue(out.get() != null, "no answer within 10 s of virtual time");
        return out.get();
    }

    @Test
    void commandsActWhenCalledWithoutASubscriberAsTheDocsShowThem() {
        FleetSelector servers = selector(FLEET);
        await(servers.trigger(Trigger.START));
        servers.pin("my.own.server:993"); // exactly as docs/fleet-selector.md shows it: the Mono is ignored
        assertEquals("my.own.server:993", servers.pinnedServer().orElseThrow());
        assertTrue(servers.contains("my.own.server:993"));
        servers.unpin();
        assertFalse(servers.pinnedServer().isPresent());
        servers.reportFailure("ams:993");
        assertEquals("iowa:993", await(servers.current()).server().orElseThrow(), "Amsterdam cools off");
        servers.addServer("new.example.org:993");
        assertTrue(servers.contains("new.example.org:993"));
        servers.removeServer("hkg:993");
        assertFalse(servers.contains("hkg:993"));
    }

    @Test
    void aCommandsMonoIsItsResultCachedSubscribingTwiceActsOnce() {
        FleetSelector servers = selector(FLEET);
        await(servers.trigger(Trigger.START));
        List<FleetChoice> changes = new ArrayList<>();
        servers.changes().skip(1).subscribe(changes::add);
        Mono<FleetChoice> failover = servers.reportFailure("ams:993");
        FleetChoice first = await(failover);
        FleetChoice second = await(failover);
        assertSame(first, second);
        assertEquals(1, changes.size(), "one failure, one change: " + changes);
        assertEquals(Cause.REPORT_FAILURE, first.cause());
        assertEquals(Reason.FAILOVER, first.reason());
    }

    @Test
    void triggersStayLazyAndActOncePerSubscription() {
        FleetSelector servers = FleetSelector.builder(prober, FLEET).clock(() -> time).minProbeInterval(Duration.ZERO).build();
        Mono<FleetChoice> start = servers.trigger(Trigger.START);
        time.advanceTimeBy(Duration.ofSeconds(5));
        assertEquals(0, servers.probesStarted(), "not subscribed: nothing sent");
        await(start);
        time.advanceTimeBy(Duration.ofSeconds(2));
        await(start);
        assertEquals(2, servers.probesStarted());
    }

    @Test
    void aServerIsOneServerHoweverItIsSpelled() {
        prober.set("[2001:DB8::1]:993", 20);
        FleetSelector servers = selector(List.of("[2001:DB8::1]:993", "Mail.Example.ORG.:993", "iowa:993"));
        assertTrue(servers.contains("[2001:db8::1]:993"));
        assertTrue(servers.contains("[2001:db8:0:0:0:0:0:1]:993"));
        assertTrue(servers.contains("mail.example.org:993"));
        assertFalse(servers.contains("mail.example.org:994"));
        assertFalse(servers.contains("not an address"));
        servers.addServer("[2001:db8::1]:993");
        assertEquals(List.of("[2001:DB8::1]:993", "Mail.Example.ORG.:993", "iowa:993"), servers.servers(), "added again: one server,"
                + " shown as first spelled");
        FleetChoice c = await(servers.trigger(Trigger.START));
        assertEquals("[2001:DB8::1]:993", c.server().orElseThrow());
        servers.reportFailure("[2001:db8:0::1]:993");
        assertEquals("iowa:993", await(servers.current()).server().orElseThrow(), "the failure reached the server however spelled");
        servers.pin("mail.example.org:993");
        assertEquals("Mail.Example.ORG.:993", servers.pinnedServer().orElseThrow());
        servers.removeServer("MAIL.example.org:993");
        assertFalse(servers.pinnedServer().isPresent(), "the pinned server removed, however spelled");
        assertEquals(List.of("[2001:DB8::1]:993", "iowa:993"), servers.servers());
    }

    @Test
    void aMalformedAddressIsRefusedAtTheCallNamingIt() {
        FleetSelector servers = selector(FLEET);
        InvalidEndpointException e = assertThrows(InvalidEndpointException.class, () -> servers.reportFailure("ams:0"));
        assertTrue(e.getMessage().contains("ams:0"), e.getMessage());
        assertThrows(InvalidEndpointException.class, () -> servers.pin("no-port"));
        assertEquals(FLEET, servers.servers());
    }

    @Test
    void theBuilderChecksItsOptionsNamingTheOptionAndTheValue() {
        FleetSelector.Builder b = FleetSelector.builder(prober, FLEET);
        assertMessage("minProbeInterval must not be negative, got PT-1S", () -> b.minProbeInterval(Duration.ofSeconds(-1)));
        assertMessage("minProbeInterval must not be null", () -> b.minProbeInterval(null));
        b.minProbeInterval(Duration.ZERO); // no rate limit: valid
        assertMessage("maxRankingAge must be positive, got PT0S", () -> b.maxRankingAge(Duration.ZERO));
        assertMessage("coolOff first must not be negative, got PT-1S", () -> b.coolOff(Duration.ofSeconds(-1), Duration.ofMinutes(30)));
        assertMessage("coolOff first must be positive, got PT0S", () -> b.coolOff(Duration.ZERO, Duration.ofMinutes(30)));
        assertMessage("coolOff: the max PT1M is below the first PT2M", () -> b.coolOff(Duration.ofMinutes(2), Duration.ofMinutes(1)));
        assertMessage("coolOff max must not be null", () -> b.coolOff(Duration.ofMinutes(2), null));
        assertMessage("hysteresisMargin must not be negative, got PT-0.001S", () -> b.hysteresisMargin(Duration.ofMillis(-1)));
        b.hysteresisMargin(Duration.ZERO);
        assertMessage("maxServers must be at least 1, got 0", () -> b.maxServers(0));
        assertMessage("ticker", () -> b.ticker(null));
    }

    private static void assertMessage(String message, Runnable call) {
        RuntimeException e = assertThrows(RuntimeException.class, call::run);
        assertEquals(message, e.getMessage());
    }

    @Test
    void currentReusesAYoungRankingAsFreshEnoughAndSaysNothingOfARateLimit() {
        FleetSelector servers = selector(FLEET);
        await(servers.trigger(Trigger.START));
        time.advanceTimeBy(Duration.ofMinutes(5)); // the 30 s window is long over, the 10 min age not reached
        FleetChoice c = await(servers.current());
        assertEquals(Reason.FRESH_ENOUGH, c.reason());
        assertEquals(ProbeAction.NONE, c.probe());
        assertEquals(Source.PROBE, c.source());
        assertEquals(Cause.CURRENT, c.cause());
        assertFalse(c.note().contains("rate limit"), c.note());
        assertEquals(1, servers.probesStarted());
    }

    @Test
    void theFollowUpAfterAStaleReuseSaysItIsOneNotAFailure() {
        FleetSelector servers = FleetSelector.builder(prober, FLEET).clock(() -> time).maxRankingAge(Duration.ofSeconds(5))
                .random(new SplittableRandom(1)::nextInt).build();
        await(servers.trigger(Trigger.START));
        servers.reportFailure("ams:993"); // Iowa now; the follow-up probe brings nothing new but runs as FOLLOW_UP
        List<FleetChoice> changes = new ArrayList<>();
        servers.changes().subscribe(changes::add);
        time.advanceTimeBy(Duration.ofSeconds(200)); // Amsterdam back from its cool-off; the follow-up ran at 30 s
        FleetChoice refreshed = await(servers.trigger(Trigger.REFRESH));
        assertEquals("ams:993", refreshed.server().orElseThrow());
        assertEquals(Cause.TRIGGER, refreshed.cause());
        assertEquals(Trigger.REFRESH, refreshed.trigger().orElseThrow());
        assertEquals(ProbeAction.SENT, refreshed.probe());
        assertEquals(3, servers.probesStarted());
    }

    @Test
    void aBootTimeTickerIsWhereTimeIsRead() {
        long[] bootNanos = {0};
        FleetSelector servers = FleetSelector.builder(prober, FLEET).clock(() -> time).ticker(() -> bootNanos[0])
                .random(new SplittableRandom(1)::nextInt).build();
        await(servers.trigger(Trigger.START));
        bootNanos[0] += Duration.ofHours(8).toNanos(); // a night asleep: the monotonic clock stood still, this one did not
        FleetChoice c = await(servers.trigger(Trigger.NETWORK_ONLINE));
        assertEquals(Reason.PROBED, c.reason(), "the rate limit and the ranking's age saw the night");
        assertTrue(servers.rankingAge().toHours() < 1);
    }

    @Test
    void everyMethodMayBeCalledFromManyThreadsAtOnceAndNoneBlocks() throws Exception {
        FleetSelector servers = FleetSelector.builder(prober, FLEET).clock(() -> time).minProbeInterval(Duration.ZERO).build();
        int threads = 8;
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            new Thread(() -> {
                try {
                    go.await();
                    for (int i = 0; i < 200; i++) {
                        Consumer<Object> ignore = x -> { };
                        servers.trigger(Trigger.REFRESH).subscribe(ignore::accept, errors::add);
                        servers.reportFailure(FLEET.get((id + i) % 3)).subscribe(ignore::accept, errors::add);
                        servers.pin("hkg:993");
                        servers.unpin();
                        servers.current().subscribe(ignore::accept, errors::add);
                    }
                } catch (Throwable e) {
                    errors.add(e);
                } finally {
                    done.countDown();
                }
            }).start();
        }
        go.countDown();
        assertTrue(done.await(20, TimeUnit.SECONDS), "a caller blocked");
        time.advanceTimeBy(Duration.ofSeconds(5));
        assertEquals(List.of(), errors);
        assertNull(servers.pinnedServer().orElse(null), "every thread unpinned last");
        servers.close();
    }

    @Test
    void closeFailsTheAnswersStillAwaitedAndLaterCallsAndCompletesChanges() {
        FleetSelector servers = selector(FLEET);
        AtomicReference<Throwable> awaited = new AtomicReference<>();
        servers.trigger(Trigger.START).subscribe(c -> { }, awaited::set);
        boolean[] completed = {false};
        servers.changes().subscribe(c -> { }, e -> { }, () -> completed[0] = true);
        servers.close();
        assertTrue(awaited.get() instanceof IllegalStateException, String.valueOf(awaited.get()));
        assertTrue(completed[0]);
        AtomicReference<Throwable> later = new AtomicReference<>();
        servers.pin("ams:993").subscribe(c -> { }, later::set);
        assertTrue(later.get() instanceof IllegalStateException, String.valueOf(later.get()));
    }

    /** First contact: a fleet of no server answers at once that nothing is available, and one added later is probed. */
    @Test
    void anEmptyFleetAnswersNothingAvailableAndAServerAddedLaterIsChosen() {
        FleetSelector servers = FleetSelector.builder(prober, List.of()).clock(() -> time).minProbeInterval(Duration.ZERO).build();
        FleetChoice none = await(servers.trigger(Trigger.START));
        assertEquals(Reason.NOTHING_AVAILABLE, none.reason());
        assertFalse(none.server().isPresent());
        servers.addServer("ams:993");
        assertEquals("ams:993", await(servers.trigger(Trigger.REFRESH)).server().orElseThrow());
        servers.close();
    }
}

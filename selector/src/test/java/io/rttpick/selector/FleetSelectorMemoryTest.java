package io.rttpick.selector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.prober.testing.ScriptedProber;
import io.rttpick.selector.FleetChoice.ProbeAction;
import io.rttpick.selector.FleetChoice.Reason;
import io.rttpick.selector.FleetChoice.Source;
import io.rttpick.selector.FleetSelector.Trigger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Networks, the remembered rankings, confirmation and the probe budget, in virtual time (wall time too). */
class FleetSelectorMemoryTest {
    private static final List<String> FLEET = List.of("ams:993", "iowa:993", "hkg:993", "dead:993");
    private static final NetworkId HOME = NetworkId.of("home");
    private static final NetworkId OFFICE = NetworkId.of("office");
    private VirtualTimeScheduler time;
    private ScriptedProber scripted;
    private RecordingProber prober;
    private RankingStore store;

    @BeforeEach
    void setUp() {
        time = VirtualTimeScheduler.create();
        time.advanceTimeBy(Duration.ofDays(365)); // wall time starts well after the epoch
        scripted = new ScriptedProber(time).set("ams:993", 29).set("iowa:993", 127).set("hkg:993", 279);
        prober = new RecordingProber(scripted, () -> time.now(TimeUnit.NANOSECONDS));
        store = RankingStore.inMemory();
    }

    @AfterEach
    void tearDown() {
        time.dispose();
    }

    private FleetSelector selector(UnaryOperator<FleetSelector.Builder> options) {
        return options.apply(FleetSelector.builder(prober, FLEET).clock(() -> time).random(new SplittableRandom(1)::nextInt)
                .remember(store).storeScheduler(time, Duration.ofSeconds(1)).wallClock(() -> time.now(TimeUnit.MILLISECONDS)))
                .build();
    }

    private FleetSelector selector() {
        return selector(b -> b);
    }

    /** The answer, and how much virtual time it took. */
    private FleetChoice await(Mono<FleetChoice> answer, long[] tookMillis) {
        AtomicReference<FleetChoice> out = new AtomicReference<>();
        long from = time.now(TimeUnit.MILLISECONDS);
        answer.subscribe(out::set);
        time.advanceTimeBy(Duration.ZERO);
        for (int i = 0; i < 10_000 && out.get() == null; i++) {
            time.advanceTimeBy(Duration.ofMillis(1));
        }
        assertNotNull(out.get(), "no answer within 10 s of virtual time");
        if (tookMillis != null) {
            tookMillis[0] = time.now(TimeUnit.MILLISECONDS) - from;
        }
        return out.get();
    }

    private FleetChoice await(Mono<FleetChoice> answer) {
        return await(answer, null);
    }

    private void settle() {
        time.advanceTimeBy(Duration.ofSeconds(2)); // every probe round ended, the store written
    }

    @Test
    void aNetworkChangeIsNotHeldBackByTheRateLimitTheOldNetworksRankingIsNotThisOnes() {
        FleetSelector servers = selector();
        await(servers.trigger(Trigger.START));
        time.advanceTimeBy(Duration.ofSeconds(5)); // well inside the 30 s rate limit
        scripted.set("ams:993", 300).set("iowa:993", 20); // the office is nearer Iowa
        FleetChoice atOffice = await(servers.networkChanged(OFFICE));
        assertEquals(Reason.PROBED, atOffice.reason(), atOffice.toString());
        assertEquals(ProbeAction.SENT, atOffice.probe());
        assertEquals(Trigger.NETWORK_ONLINE, atOffice.trigger().orElseThrow());
        assertEquals("iowa:993", atOffice.server().orElseThrow());
        assertEquals(OFFICE, servers.network().orElseThrow());
    }

    @Test
    void onAKnownNetworkTheAnswerComesFromMemoryAtOnceAndOnlyTheTopKAreConfirmed() {
        FleetSelector servers = selector();
        await(servers.networkChanged(HOME));
        settle();
        scripted.set("ams:993", 300).set("iowa:993", 20);
        await(servers.networkChanged(OFFICE));
        settle();
        scripted.set("ams:993", 29).set("iowa:993", 127);
        int roundsBefore = prober.rounds.size();
        long[] took = new long[1];
        FleetChoice home = await(servers.networkChanged(HOME), took);
        assertEquals(0, took[0], "no probe before the answer");
        assertEquals(Reason.REMEMBERED, home.reason());
        assertEquals(Source.MEMORY, home.source());
        assertEquals(ProbeAction.CONFIRMING, home.probe());
        assertEquals("ams:993", home.server().orElseThrow(), "home's own ranking, not the office's");
        settle();
        assertEquals(roundsBefore + 1, prober.rounds.size(), "one confirmation: " + prober.rounds);
        List<String> confirmed = prober.last().servers;
        assertTrue(confirmed.size() <= 3 && confirmed.contains("ams:993"), confirmed.toString());
        assertFalse(confirmed.contains("dead:993"), "a server that never answered is not among the best: " + confirmed);
    }

    @Test
    void aConfirmationThatFindsTheRememberedBestGoneChangesTheChoiceAndFollowsWithAFullProbe() {
        FleetSelector servers = selector();
        List<FleetChoice> changes = new ArrayList<>();
        servers.changes().subscribe(changes::add);
        await(servers.networkChanged(HOME));
        settle();
        await(servers.networkChanged(OFFICE));
        settle();
        scripted.set("ams:993", -1); // Amsterdam is down now
        FleetChoice remembered = await(servers.networkChanged(HOME));
        assertEquals("ams:993", remembered.server().orElseThrow(), "memory does not know yet");
        settle();
        FleetChoice last = changes.get(changes.size() - 1);
        assertEquals("iowa:993", last.server().orElseThrow(), "no choice from memory stands after the confirmation contradicts"
                + " it: " + changes);
        assertEquals(Source.MEMORY, last.source());
        assertEquals(3, prober.last().servers.size(), "home was probed fully seconds ago: the budget holds the full probe");

        time.advanceTimeBy(Duration.ofMinutes(61));
        await(servers.networkChanged(OFFICE));
        settle();
        scripted.set("ams:993", 29).set("iowa:993", -1); // Amsterdam is back, Iowa gone
        assertEquals("iowa:993", await(servers.networkChanged(HOME)).server().orElseThrow(), "as remembered");
        settle();
        assertEquals(FLEET.size(), prober.last().servers.size(), "past the hour a full probe followed: " + prober.rounds);
        assertEquals("ams:993", changes.get(changes.size() - 1).server().orElseThrow(), changes.toString());
    }

    @Test
    void withoutAStoreANetworkChangeProbesEveryTimeAsAnUnknownNetworkWould() {
        FleetSelector servers = FleetSelector.builder(prober, FLEET).clock(() -> time).build();
        await(servers.networkChanged(HOME));
        settle();
        await(servers.networkChanged(OFFICE));
        settle();
        FleetChoice again = await(servers.networkChanged(HOME));
        assertEquals(Reason.PROBED, again.reason());
        assertEquals(Source.PROBE, again.source());
        assertEquals(3, prober.rounds.size());
        assertTrue(prober.rounds.stream().allMatch(r -> r.servers.size() == FLEET.size()));
    }

    @Test
    void staleMemoryIsNotUsedPastItsMaximumAgeNorWhenDatedInTheFuture() {
        FleetSelector servers = selector(b -> b.rememberFor(Duration.ofHours(1)));
        await(servers.networkChanged(HOME));
        settle();
        await(servers.networkChanged(OFFICE));
        time.advanceTimeBy(Duration.ofMinutes(61));
        FleetChoice home = await(servers.networkChanged(HOME));
        assertEquals(Reason.PROBED, home.reason(), "an hour and a minute old: stale, probed again");

        long future = time.now(TimeUnit.MILLISECONDS) + Duration.ofDays(1).toMillis();
        store = RankingStore.inMemory();
        store.save(new RememberedRankings(Map.of("home", new RememberedNetwork(future, future,
                Map.of("ams:993", new RememberedServer(29_000, -1, 0, 1, future)))), Map.of()));
        FleetSelector fresh = selector();
        FleetChoice dated = await(fresh.networkChanged(HOME));
        assertEquals(Reason.PROBED, dated.reason(), "an entry dated tomorrow is not believed");
    }

    @Test
    void atMostMaxNetworksAreRememberedTheLeastRecentlyUsedGoesFirst() {
        FleetSelector servers = selector(b -> b.maxNetworks(2));
        for (String n : List.of("a", "b", "c")) {
            await(servers.networkChanged(NetworkId.of(n)));
            settle();
        }
        time.advanceTimeBy(Duration.ofMinutes(61)); // past the budget's full probe per network per hour
        assertEquals(Reason.REMEMBERED, await(servers.networkChanged(NetworkId.of("c"))).reason());
        assertEquals(Reason.REMEMBERED, await(servers.networkChanged(NetworkId.of("b"))).reason());
        assertEquals(Reason.PROBED, await(servers.networkChanged(NetworkId.of("a"))).reason(), "the eldest was dropped");
        settle();
        assertEquals(2, store.load().networks().size(), store.load().networks().keySet().toString());
    }

    @Test
    void forgetNetworksForgetsEverythingHereAndInTheStore() {
        FleetSelector servers = selector();
        await(servers.networkChanged(HOME));
        settle();
        assertFalse(store.load().networks().isEmpty());
        servers.forgetNetworks();
        settle();
        assertTrue(store.load().networks().isEmpty());
        assertTrue(store.load().lastContactMillis().isEmpty());
        time.advanceTimeBy(Duration.ofMinutes(1));
        assertEquals(Reason.PROBED, await(servers.networkChanged(HOME)).reason());
    }

    @Test
    void aServerRemovedFromTheFleetIsForgotten() {
        FleetSelector servers = selector();
        await(servers.networkChanged(HOME));
        settle();
        assertTrue(store.load().networks().get("home").servers().containsKey("hkg:993"));
        servers.removeServer("hkg:993");
        settle();
        assertFalse(store.load().networks().get("home").servers().containsKey("hkg:993"));
    }

    @Test
    void whatIsRememberedSurvivesARestartThroughTheStoreContactsIncluded() {
        FleetSelector first = selector();
        await(first.networkChanged(HOME));
        settle();
        first.close();
        settle();
        FleetSelector second = selector();
        FleetChoice home = await(second.networkChanged(HOME));
        assertEquals(Reason.REMEMBERED, home.reason());
        ProbeFigures figures = second.probeFigures().block();
        assertEquals(FLEET.size(), figures.serversContactedLast24h(), "the first process's probe counts: " + figures);
        time.advanceTimeBy(Duration.ofHours(25));
        assertTrue(second.probeFigures().block().serversContactedLast24h() <= 3, "a day later only the confirmation's");
    }

    @Test
    void asksBeforeTheStoreIsReadWaitForItAndTheStoreIsReadOnItsSchedulerOnce() {
        AtomicInteger loads = new AtomicInteger();
        AtomicReference<Thread> loadedOn = new AtomicReference<>();
        RankingStore counting = new RankingStore() {
            @Override
            public RememberedRankings load() {
                loads.incrementAndGet();
                loadedOn.set(Thread.currentThread());
                return store.load();
            }

            @Override
            public void save(RememberedRankings rankings) {
                store.save(rankings);
            }
        };
        FleetSelector first = selector();
        await(first.networkChanged(HOME));
        settle();
        FleetSelector servers = FleetSelector.builder(prober, FLEET).clock(() -> time).remember(counting)
                .wallClock(() -> time.now(TimeUnit.MILLISECONDS)).build(); // the default scheduler: boundedElastic
        FleetChoice home = servers.networkChanged(HOME).block(Duration.ofSeconds(5));
        assertEquals(Reason.REMEMBERED, home.reason(), "asked before the load: waited for it, then known");
        assertEquals(1, loads.get());
        assertNotEquals(Thread.currentThread(), loadedOn.get());
        servers.close();
    }

    @Test
    void savesAreCoalescedAndAStoreThatFailsIsNoCrash() {
        AtomicInteger saves = new AtomicInteger();
        store = new RankingStore() {
            @Override
            public RememberedRankings load() {
                throw new IllegalStateException("unreadable");
            }

            @Override
            public void save(RememberedRankings rankings) {
                saves.incrementAndGet();
                throw new IllegalStateException("disk full");
            }
        };
        FleetSelector servers = selector();
        for (int i = 0; i < 5; i++) {
            await(servers.networkChanged(i % 2 == 0 ? HOME : OFFICE));
        }
        assertTrue(saves.get() <= 2, "five changes within a second or so, saved at most twice: " + saves.get());
        settle();
        assertEquals(Reason.REMEMBERED, await(servers.networkChanged(HOME)).reason(), "the failing store changed nothing here");
    }

    @Test
    void theBudgetHoldsRoundsButTheUsersListIsAlwaysServed() {
        FleetSelector servers = selector(b -> b.probeBudget(ProbeBudget.defaults().maxRoundsPerHour(3)));
        await(servers.networkChanged(HOME));
        settle();
        await(servers.networkChanged(OFFICE));
        settle();
        FleetChoice third = await(servers.networkChanged(HOME));
        assertEquals(ProbeAction.CONFIRMING, third.probe());
        settle();
        FleetChoice fourth = await(servers.networkChanged(OFFICE));
        assertEquals(ProbeAction.HELD_BY_BUDGET, fourth.probe(), "three rounds in the hour: " + prober.rounds);
        assertEquals(Reason.REMEMBERED, fourth.reason());
        time.advanceTimeBy(Duration.ofMinutes(1));
        FleetChoice list = await(servers.trigger(Trigger.SERVER_LIST_OPENED));
        assertEquals(ProbeAction.SENT, list.probe(), "the user's own list opening is served");
        assertEquals(FLEET.size(), prober.last().servers.size());
        ProbeFigures figures = servers.probeFigures().block();
        assertEquals(4, figures.rounds());
        assertEquals(3, figures.fullProbes());
        assertEquals(FLEET.size() * 3 + prober.rounds.get(2).servers.size(), figures.synsSent());
    }

    @Test
    void aFullProbePerNetworkPerIntervalAtMostAfterThatTheLastRankingIsReused() {
        FleetSelector servers = selector(b -> b.minProbeInterval(Duration.ZERO).rememberFor(Duration.ofMinutes(1)));
        await(servers.networkChanged(HOME));
        settle();
        time.advanceTimeBy(Duration.ofMinutes(5)); // what was learned is stale: unknown again, but probed fully minutes ago
        FleetChoice again = await(servers.networkChanged(HOME));
        assertEquals(ProbeAction.HELD_BY_BUDGET, again.probe(), again.toString());
        assertEquals(1, prober.rounds.size());
    }
}

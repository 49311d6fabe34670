package io.rttpick.bench.simulate;

import io.rttpick.bench.simulate.SimWorld.Net;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.selector.FleetChoice;
import io.rttpick.selector.FleetSelector;
import io.rttpick.selector.FleetSelector.Trigger;
import io.rttpick.selector.NetworkId;
import io.rttpick.selector.RankingStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * rttpick's {@link FleetSelector}, the real one, in virtual time over the simulated world:
 * without memory (triggered on start, back online, a failure, the list opened) or with memory
 * and the default probe budget ({@code networkChanged} with the network's id).
 */
final class FleetClient extends SimClient {
    private static final long MINUTE = 60_000;
    private final boolean remember;
    /** The app refreshes at each use; reporting, when passive, its own connection's RTT first. */
    private final boolean refreshAtUse;
    private final boolean passive;
    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final List<Net> seen = new ArrayList<>();
    private final long seed;
    private Net net;
    private FleetSelector selector;
    private volatile String current;

    FleetClient(SimWorld world, int days, long seed, boolean remember) {
        this(world, days, seed, remember, false, false);
    }

    FleetClient(SimWorld world, int days, long seed, boolean remember, boolean refreshAtUse, boolean passive) {
        super(world, days);
        this.remember = remember;
        this.refreshAtUse = refreshAtUse;
        this.passive = passive;
        this.seed = seed;
    }

    @Override
    String name() {
        if (refreshAtUse) {
            return passive ? "  ... + passive RTT, refresh at each use" : "  ... memory + budget, refresh at each use";
        }
        return remember ? "FleetSelector, memory + budget" : "FleetSelector, no memory (today)";
    }

    private long minute() {
        return time.now(TimeUnit.MILLISECONDS) / MINUTE;
    }

    private void advanceTo(long t) {
        long target = t * MINUTE;
        long now = time.now(TimeUnit.MILLISECONDS);
        if (target > now) {
            time.advanceTimeBy(Duration.ofMillis(target - now));
        }
    }

    /** Waits for the answer in virtual time; the time it took is a decision time. */
    private static final boolean DEBUG = System.getenv("SIMULATE_DEBUG") != null;

    private FleetChoice await(Mono<FleetChoice> answer, long t) {
        FleetChoice got = awaitQuietly(answer, t);
        if (DEBUG) {
            System.err.printf("%s day %d %02d:%02d %s: %s; %s%n", name(), t / SimWorld.DAY + 1, t % SimWorld.DAY / 60, t % 60, net,
                    got, selector.probeFigures().block());
        }
        return got;
    }

    private FleetChoice awaitQuietly(Mono<FleetChoice> answer, long t) {
        AtomicReference<FleetChoice> out = new AtomicReference<>();
        long from = time.now(TimeUnit.MICROSECONDS);
        answer.subscribe(out::set, e -> { });
        for (int i = 0; i < 5_000 && out.get() == null; i++) {
            time.advanceTimeBy(Duration.ofMillis(1));
        }
        meter.decision(t, (time.now(TimeUnit.MICROSECONDS) - from) / 1_000.0);
        return out.get();
    }

    @Override
    void start(Net net, long t) {
        advanceTo(t);
        this.net = net;
        List<String> servers = new ArrayList<>();
        for (int s = 0; s < world.size(); s++) {
            servers.add(world.address(s));
        }
        SimProber prober = new SimProber(world, meter, time, () -> this.net, this::minute);
        FleetSelector.Builder b = FleetSelector.builder(prober, servers).clock(() -> time)
                .random(new SplittableRandom(seed)::nextInt)
                .probeOptions(ProbeOptions.builder().timeout(Duration.ofMillis(500)).build());
        if (remember) {
            b.remember(RankingStore.inMemory()).storeScheduler(time, Duration.ofSeconds(2))
                    .wallClock(() -> time.now(TimeUnit.MILLISECONDS));
        }
        selector = b.build();
        selector.changes().subscribe(c -> {
            current = c.server().orElse(null);
            if (DEBUG) {
                System.err.println("  change: " + c);
            }
        });
        seen.add(net);
        await(remember ? selector.networkChanged(id(net)) : selector.trigger(Trigger.START), t);
    }

    private static NetworkId id(Net net) {
        return NetworkId.of(net.name);
    }

    @Override
    void networkChanged(Net net, long t) {
        advanceTo(t);
        this.net = net;
        boolean known = seen.contains(net);
        seen.add(net);
        if (known) {
            meter.markReconnect();
        }
        await(remember ? selector.networkChanged(id(net)) : selector.trigger(Trigger.NETWORK_ONLINE), t);
        if (known) {
            // what the reconnect contacted: the answer's probes, and a confirmation's, done within a second
            time.advanceTimeBy(Duration.ofSeconds(1));
            meter.endReconnect();
        }
    }

    @Override
    int use(long t) {
        advanceTo(t);
        if (refreshAtUse) {
            long synsBefore = meter.totalSyns();
            String server = current;
            if (passive && server != null) {
                // the kept connection to the server in use carries the use's traffic: the app reads the
                // kernel's RTT of it after each of three exchanges
                for (int i = 0; i < 3; i++) {
                    double ms = world.sampleMs(SimWorld.index(server), net, t);
                    if (!Double.isNaN(ms)) {
                        selector.observe(server, Duration.ofNanos(Math.round(ms * 1_000_000)), FleetSelector.Observed.KERNEL_RTT);
                    }
                }
            }
            await(selector.trigger(Trigger.REFRESH), t);
            time.advanceTimeBy(Duration.ofSeconds(1)); // the confirmation a reading or the refresh started, if any
            meter.refreshSyns += meter.totalSyns() - synsBefore;
        }
        for (int i = 0; i < TRIES; i++) {
            String server = current;
            if (server == null) {
                return -1;
            }
            int s = SimWorld.index(server);
            meter.connected(s);
            if (world.up(s, t)) {
                return s;
            }
            await(selector.reportFailure(server), t);
        }
        return -1;
    }

    @Override
    void listOpened(long t) {
        advanceTo(t);
        await(selector.trigger(Trigger.SERVER_LIST_OPENED), t);
    }

    void close() {
        selector.close();
        time.dispose();
    }
}

package io.rttpick.bench.simulate;

import io.rttpick.cli.Console;
import io.rttpick.selector.FleetChoice;
import io.rttpick.selector.FleetSelector;
import io.rttpick.selector.NetworkId;
import io.rttpick.selector.RankingStore;
import io.rttpick.selector.RememberedNetwork;
import io.rttpick.selector.RememberedRankings;
import io.rttpick.selector.RememberedServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The figures measured in process rather than simulated: how long a choice on a known network
 * takes on this machine (the store loaded; the first call, then warm), and whether equal servers
 * still share new clients when every client answers from memory.
 */
final class WallClock {
    private WallClock() {
    }

    static void print(long seed, Console console) {
        SimWorld world = SimWorld.of("community", seed);
        RememberedRankings stored = remembered(world, "home", "office");
        List<String> servers = servers(world);
        FleetSelector selector = FleetSelector.builder(new SimProber(world, new Meter(1), Schedulers.parallel(), () -> world.home,
                () -> 0), servers).remember(holding(stored)).build();
        try {
            selector.current().block(Duration.ofSeconds(5)); // the store is read off this thread: waits for it
            long t0 = System.nanoTime();
            FleetChoice first = selector.networkChanged(NetworkId.of("office")).block(Duration.ofSeconds(5));
            long firstNanos = System.nanoTime() - t0;
            long[] warm = new long[2_000];
            for (int i = 0; i < warm.length; i++) {
                long t = System.nanoTime();
                selector.networkChanged(NetworkId.of(i % 2 == 0 ? "home" : "office")).block(Duration.ofSeconds(5));
                warm[i] = System.nanoTime() - t;
            }
            Arrays.sort(warm);
            console.out().println();
            console.out().printf(Locale.ROOT, "in process, wall clock: a choice on a known network (store loaded, %s from %s):"
                    + " first call %.3f ms; warm p50 %.3f ms, p99 %.3f ms (%d calls)%n", first.reason(), first.source(),
                    firstNanos / 1e6, warm[warm.length / 2] / 1e6, warm[warm.length * 99 / 100] / 1e6, warm.length);
        } finally {
            selector.close();
        }
        share(seed, console);
    }

    /** 2,000 new clients with the same memory of the status fleet: do the equal servers of its best region share them? */
    private static void share(long seed, Console console) {
        SimWorld world = SimWorld.of("status", seed);
        RememberedRankings stored = remembered(world, "home");
        Map<String, Long> counts = new LinkedHashMap<>();
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        int group = 0;
        try {
            for (int c = 0; c < 2_000; c++) {
                FleetSelector client = FleetSelector.builder(new SimProber(world, new Meter(1), time, () -> world.home, () -> 0),
                        servers(world)).clock(() -> time).random(new SplittableRandom(seed * 7919 + c)::nextInt)
                        .remember(holding(stored)).storeScheduler(time, Duration.ZERO).build();
                FleetChoice[] got = new FleetChoice[1];
                client.networkChanged(NetworkId.of("home")).subscribe(x -> got[0] = x);
                time.advanceTimeBy(Duration.ZERO);
                group = got[0].groupSize().orElse(0);
                counts.merge(got[0].server().orElse("none"), 1L, Long::sum);
                client.close();
                time.advanceTimeBy(Duration.ofSeconds(1));
            }
        } finally {
            time.dispose();
        }
        long[] n = counts.values().stream().mapToLong(Long::longValue).toArray();
        double x = ChiSquare.statistic(n);
        console.out().printf(Locale.ROOT, "equal servers share new clients: 2000 new clients answered from the same memory of the"
                + " status fleet drew %s from a group of %d; chi-square %.2f, p = %.3f%n", counts.values(), group, x,
                n.length < 2 ? 1.0 : ChiSquare.pValue(x, n.length - 1));
    }

    private static List<String> servers(SimWorld world) {
        List<String> servers = new ArrayList<>();
        for (int s = 0; s < world.size(); s++) {
            servers.add(world.address(s));
        }
        return servers;
    }

    /** What one full probe of each named network would leave in a store, an hour ago. */
    private static RememberedRankings remembered(SimWorld world, String... networks) {
        long when = System.currentTimeMillis() - TimeUnit.HOURS.toMillis(1);
        Map<String, RememberedNetwork> nets = new HashMap<>();
        for (String name : networks) {
            SimWorld.Net net = name.equals("home") ? world.home : world.office;
            Map<String, RememberedServer> entries = new HashMap<>();
            for (int s = 0; s < world.size(); s++) {
                double ms = world.sampleMs(s, net, 0);
                entries.put(world.address(s), new RememberedServer(Double.isNaN(ms) ? -1 : Math.round(ms * 1_000), -1,
                        Double.isNaN(ms) ? 1 : 0, 1, when));
            }
            nets.put(name, new RememberedNetwork(when, when, entries));
        }
        return new RememberedRankings(nets, Map.of());
    }

    /** The selector's own in-memory store, holding {@code stored}: each client its own. */
    private static RankingStore holding(RememberedRankings stored) {
        RankingStore store = RankingStore.inMemory();
        store.save(stored);
        return store;
    }
}

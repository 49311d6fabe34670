package io.rttpick.bench.simulate;

import io.rttpick.bench.simulate.SimWorld.Net;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * status-go 2026 (store_selector.go): no probes; the nodes in a random order per use, a node that
 * failed put last for 2 minutes, at most 3 tries.
 */
final class RandomFailoverClient extends SimClient {
    private final Random random;
    private final Map<Integer, Long> backOffUntil = new HashMap<>();

    RandomFailoverClient(SimWorld world, int days, long seed) {
        super(world, days);
        this.random = new Random(seed);
    }

    @Override
    String name() {
        return "random + failover (status-go 2026)";
    }

    @Override
    void start(Net net, long t) {
    }

    @Override
    void networkChanged(Net net, long t) {
    }

    @Override
    int use(long t) {
        List<Integer> order = new ArrayList<>();
        for (int s = 0; s < world.size(); s++) {
            order.add(s);
        }
        Collections.shuffle(order, random);
        order.sort((a, b) -> Boolean.compare(backOffUntil.getOrDefault(a, 0L) > t, backOffUntil.getOrDefault(b, 0L) > t));
        for (int i = 0; i < TRIES; i++) {
            int s = order.get(i);
            meter.connected(s);
            if (world.up(s, t)) {
                return s;
            }
            backOffUntil.put(s, t + 2);
        }
        return -1;
    }

    @Override
    void listOpened(long t) {
    }
}

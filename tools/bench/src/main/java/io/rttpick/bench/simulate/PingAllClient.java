package io.rttpick.bench.simulate;

import io.rttpick.bench.simulate.SimWorld.Net;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Ping every server on login, back online, a failure and the list opened, wait for all, then
 * either draw in the fastest ceil((n-1)/4) (status-go 2019-2024) or take the single fastest
 * (go-waku's fastest peer). Between triggers the server is kept.
 */
final class PingAllClient extends SimClient {
    private final boolean single;
    private final Random random;
    private Net net;
    private int current = -1;

    PingAllClient(SimWorld world, int days, long seed, boolean single) {
        super(world, days);
        this.single = single;
        this.random = new Random(seed);
    }

    @Override
    String name() {
        return single ? "fastest single (go-waku)" : "ping all, fastest quarter (status-go 2019-24)";
    }

    private void choose(long t) {
        int[] all = all();
        double[] rtt = probe(all, net, t, true);
        List<Integer> answered = new ArrayList<>();
        for (int s : all) {
            if (!Double.isNaN(rtt[s])) {
                answered.add(s);
            }
        }
        answered.sort((a, b) -> Double.compare(rtt[a], rtt[b]));
        if (answered.isEmpty()) {
            current = -1;
            return;
        }
        int quarter = single ? 1 : Math.max(1, (int) Math.ceil((world.size() - 1) / 4.0));
        current = answered.get(random.nextInt(Math.min(quarter, answered.size())));
    }

    @Override
    void start(Net net, long t) {
        this.net = net;
        choose(t);
    }

    @Override
    void networkChanged(Net net, long t) {
        this.net = net;
        choose(t);
    }

    @Override
    int use(long t) {
        for (int i = 0; i < TRIES && current >= 0; i++) {
            meter.connected(current);
            if (world.up(current, t)) {
                return current;
            }
            choose(t);
        }
        return current >= 0 && world.up(current, t) ? current : -1;
    }

    @Override
    void listOpened(long t) {
        choose(t);
    }
}

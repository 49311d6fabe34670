package io.rttpick.bench.simulate;

import io.rttpick.bench.simulate.SimWorld.Net;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Like Tailscale's DERP home selection: at each use, a full probe when the last is over 5 minutes
 * old (or the network changed), else the 3 fastest of the last full report plus the current
 * server; the current server is left only when it fails or another is at least 10 ms and a third
 * faster.
 */
final class TailscaleLikeClient extends SimClient {
    private Net net;
    private long lastFull = Long.MIN_VALUE;
    private List<Integer> lastReport = new ArrayList<>();
    private int current = -1;

    TailscaleLikeClient(SimWorld world, int days) {
        super(world, days);
    }

    @Override
    String name() {
        return "Tailscale-like (top 3 + current, full each 5 min)";
    }

    private void report(long t, boolean forceFull) {
        boolean full = forceFull || t - lastFull > 5;
        int[] servers;
        if (full) {
            servers = all();
        } else {
            Set<Integer> set = new LinkedHashSet<>(lastReport.subList(0, Math.min(3, lastReport.size())));
            if (current >= 0) {
                set.add(current);
            }
            servers = set.stream().mapToInt(Integer::intValue).toArray();
        }
        double[] rtt = probe(servers, net, t, true);
        List<Integer> answered = new ArrayList<>();
        double currentMs = Double.NaN;
        for (int i = 0; i < servers.length; i++) {
            if (!Double.isNaN(rtt[i])) {
                answered.add(i);
            }
            if (servers[i] == current) {
                currentMs = rtt[i];
            }
        }
        answered.sort((a, b) -> Double.compare(rtt[a], rtt[b]));
        if (full) {
            lastFull = t;
            lastReport = new ArrayList<>();
            for (int i : answered) {
                lastReport.add(servers[i]);
            }
        }
        if (answered.isEmpty()) {
            current = -1;
            return;
        }
        double bestMs = rtt[answered.get(0)];
        if (current < 0 || Double.isNaN(currentMs) || (currentMs - bestMs >= 10 && bestMs <= currentMs * 2 / 3)) {
            current = servers[answered.get(0)];
        }
    }

    @Override
    void start(Net net, long t) {
        this.net = net;
        report(t, true);
    }

    @Override
    void networkChanged(Net net, long t) {
        this.net = net;
        report(t, true);
    }

    @Override
    int use(long t) {
        if (t != lastFull) {
            report(t, false);
        }
        for (int i = 0; i < TRIES && current >= 0; i++) {
            meter.connected(current);
            if (world.up(current, t)) {
                return current;
            }
            report(t, true);
        }
        return -1;
    }

    @Override
    void listOpened(long t) {
        report(t, true);
    }
}

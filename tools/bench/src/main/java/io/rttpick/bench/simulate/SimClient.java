package io.rttpick.bench.simulate;

import io.rttpick.bench.simulate.SimWorld.Net;

/**
 * One policy a client may follow, driven through the week's events in order. A use returns the
 * server the app ended up on (after trying others when one was down, at most 3 tries).
 */
abstract class SimClient {
    static final int TRIES = 3;
    static final double TIMEOUT_MS = 500;

    final SimWorld world;
    final Meter meter;

    SimClient(SimWorld world, int days) {
        this.world = world;
        this.meter = new Meter(days);
    }

    abstract String name();

    /** The app starts, on {@code net}. */
    abstract void start(Net net, long t);

    abstract void networkChanged(Net net, long t);

    /** The app is used; the server it ends up on, or -1 when every try failed. */
    abstract int use(long t);

    abstract void listOpened(long t);

    /** Probes {@code servers}: their samples (NaN: timed out), counted; the decision waits for the slowest. */
    double[] probe(int[] servers, Net net, long t, boolean timed) {
        double[] out = new double[servers.length];
        double slowest = 0;
        for (int i = 0; i < servers.length; i++) {
            meter.syn(servers[i], t);
            out[i] = world.sampleMs(servers[i], net, t);
            slowest = Math.max(slowest, Double.isNaN(out[i]) ? TIMEOUT_MS : out[i]);
        }
        if (timed) {
            meter.decision(t, slowest);
        }
        return out;
    }

    int[] all() {
        int[] a = new int[world.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = i;
        }
        return a;
    }
}

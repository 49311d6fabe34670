package io.rttpick.bench.simulate;

import java.util.Random;
import java.util.SplittableRandom;

/**
 * A client's week for {@code rttpick simulate}: a fleet (RTTs from home), the networks of the
 * day's routine, and what happens to the servers, all drawn from one seed. Time is in minutes
 * from the first day's midnight.
 */
final class SimWorld {
    static final int DAY = 1_440;
    /** The home network's best server is down from 14:00 to 15:00 every day. */
    static final int DOWN_FROM = 14 * 60;
    static final int DOWN_TO = 15 * 60;
    /** The farthest live server moves next door at noon on day 4 and stays. */
    static final int MOVED_AT = 3 * DAY + 12 * 60;
    static final double NEXT_DOOR_MS = 1.0;

    /** A network of the routine: every RTT shifted by its offset, each sample off by |N(0, sigma)|. */
    static final class Net {
        final String name;
        final double offsetMs;
        final double sigmaMs;

        Net(String name, double offsetMs, double sigmaMs) {
            this.name = name;
            this.offsetMs = offsetMs;
            this.sigmaMs = sigmaMs;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    final String fleet;
    final double[] baseMs;
    final boolean[] dead;
    final Net home;
    final Net cell1;
    final Net office;
    final Net cafe;
    final Net cell2;
    final int homeBest;
    final int farthest;
    private final Random noise;

    private SimWorld(String fleet, double[] baseMs, boolean[] dead, SplittableRandom r, long seed) {
        this.fleet = fleet;
        this.baseMs = baseMs;
        this.dead = dead;
        this.home = new Net("home", 0, 5);
        this.cell1 = new Net("cellular 1", r.nextDouble(60, 150), 15);
        this.office = new Net("office", r.nextDouble(0, 10), 5);
        this.cafe = new Net("cafe", r.nextDouble(0, 20), 5);
        this.cell2 = new Net("cellular 2", r.nextDouble(60, 150), 15);
        int best = -1;
        int far = -1;
        for (int i = 0; i < baseMs.length; i++) {
            if (dead[i]) {
                continue;
            }
            best = best < 0 || baseMs[i] < baseMs[best] ? i : best;
            far = far < 0 || baseMs[i] > baseMs[far] ? i : far;
        }
        this.homeBest = best;
        this.farthest = far;
        this.noise = new Random(seed ^ 0x5eed);
    }

    static final String[] FLEETS = {"seed", "status", "community"};

    /** One of {@link #FLEETS}, drawn from {@code seed}. */
    static SimWorld of(String fleet, long seed) {
        SplittableRandom r = new SplittableRandom(seed * 31 + fleet.hashCode());
        switch (fleet) {
            case "seed":
                return new SimWorld(fleet, new double[] {29, 127, 279, 200}, new boolean[] {false, false, false, true}, r, seed);
            case "status": {
                double[] regions = {r.nextDouble(8, 45), r.nextDouble(90, 180), r.nextDouble(200, 320)};
                double[] base = new double[6];
                for (int i = 0; i < 6; i++) {
                    base[i] = regions[i / 2] + r.nextDouble(0, 3);
                }
                return new SimWorld(fleet, base, new boolean[6], r, seed);
            }
            case "community": {
                double[] regions = new double[12];
                for (int i = 0; i < regions.length; i++) {
                    regions[i] = r.nextDouble(5, 300);
                }
                double[] base = new double[25];
                boolean[] dead = new boolean[25];
                for (int i = 0; i < base.length; i++) {
                    base[i] = regions[r.nextInt(regions.length)] + r.nextDouble(0, 4);
                    dead[i] = r.nextDouble() < 0.1;
                }
                dead[0] = false; // at least one lives
                return new SimWorld(fleet, base, dead, r, seed);
            }
            default:
                throw new IllegalArgumentException("no fleet named " + fleet);
        }
    }

    int size() {
        return baseMs.length;
    }

    String address(int server) {
        return "server-" + server + ".sim.example:993";
    }

    /** The server an {@link #address} names. */
    static int index(String address) {
        return Integer.parseInt(address.substring("server-".length(), address.indexOf('.')));
    }

    /** The network of the routine at {@code t}. */
    Net netAt(long t) {
        long m = t % DAY;
        if (m < 7 * 60 + 30 || m >= 18 * 60 + 15) {
            return home;
        }
        if (m < 8 * 60 + 15) {
            return cell1;
        }
        if (m < 12 * 60 + 30 || (m >= 13 * 60 + 15 && m < 17 * 60 + 30)) {
            return office;
        }
        return m < 13 * 60 + 15 ? cafe : cell2;
    }

    boolean up(int s, long t) {
        long m = t % DAY;
        return !dead[s] && !(s == homeBest && m >= DOWN_FROM && m < DOWN_TO);
    }

    /** The server's RTT on {@code net} at {@code t}, without noise. */
    double trueMs(int s, Net net, long t) {
        double base = s == farthest && t >= MOVED_AT ? NEXT_DOOR_MS : baseMs[s];
        return base + net.offsetMs;
    }

    /** One sample; NaN when the server does not answer. */
    double sampleMs(int s, Net net, long t) {
        if (!up(s, t)) {
            return Double.NaN;
        }
        return trueMs(s, net, t) + Math.abs(noise.nextGaussian() * net.sigmaMs);
    }

    /** The best RTT of a server that is up. */
    double bestMs(Net net, long t) {
        double best = Double.MAX_VALUE;
        for (int s = 0; s < size(); s++) {
            if (up(s, t)) {
                best = Math.min(best, trueMs(s, net, t));
            }
        }
        return best;
    }
}

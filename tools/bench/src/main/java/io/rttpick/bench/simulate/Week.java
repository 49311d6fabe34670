package io.rttpick.bench.simulate;

import io.rttpick.bench.simulate.SimWorld.Net;

/**
 * The week's script, the same for every client: each day home until 07:30, cellular to 08:15,
 * the office to 12:30, a cafe to 13:15, the office to 17:30, another cellular network to 18:15,
 * home; the app used every 30 minutes from 07:00 to 23:30 and at each network change; the server
 * list opened at 20:00. The app starts at 07:00 on the first day.
 */
final class Week {
    private static final int[] CHANGES = {7 * 60 + 30, 8 * 60 + 15, 12 * 60 + 30, 13 * 60 + 15, 17 * 60 + 30, 18 * 60 + 15};
    private static final int LIST_OPENED = 20 * 60;
    private static final int FIRST_USE = 7 * 60;
    private static final int LAST_USE = 23 * 60 + 30;

    private Week() {
    }

    static void run(SimWorld world, SimClient client, int days) {
        client.start(world.home, FIRST_USE);
        for (int d = 0; d < days; d++) {
            long day = (long) d * SimWorld.DAY;
            for (int m = FIRST_USE; m <= LAST_USE; m++) {
                long t = day + m;
                boolean change = contains(CHANGES, m);
                if (change) {
                    client.networkChanged(world.netAt(t), t);
                }
                if (m == LIST_OPENED) {
                    long before = client.meter.totalSyns();
                    client.listOpened(t);
                    client.meter.listSyns += client.meter.totalSyns() - before;
                }
                if (change || m % 30 == 0) {
                    score(world, client, t);
                }
            }
        }
    }

    private static void score(SimWorld world, SimClient client, long t) {
        int s = client.use(t);
        Net net = world.netAt(t);
        double regret = s < 0 ? SimClient.TIMEOUT_MS : world.trueMs(s, net, t) - world.bestMs(net, t);
        client.meter.regret(t, regret);
        if (System.getenv("SIMULATE_DEBUG") != null && regret > 3) {
            System.err.printf("  REGRET %s day %d %02d:%02d %s server %d: %.1f ms%n", client.name(), t / SimWorld.DAY + 1,
                    t % SimWorld.DAY / 60, t % 60, net, s, regret);
        }
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }
}

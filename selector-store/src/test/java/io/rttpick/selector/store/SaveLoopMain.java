package io.rttpick.selector.store;

import io.rttpick.selector.RememberedNetwork;
import io.rttpick.selector.RememberedRankings;
import io.rttpick.selector.RememberedServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A process saving without end, to be killed: {@code SaveLoopMain FILE NAME}. Each save carries
 * network NAME at the next version (its last-used time, increasing), with ballast so that a save takes a
 * while; it prints "begin V" before and "done V" after each, and starts from the version the
 * file holds.
 */
public final class SaveLoopMain {
    static final int BALLAST_NETWORKS = 12;
    static final int SERVERS = 40;

    private SaveLoopMain() {
    }

    public static void main(String[] args) {
        FileRankingStore store = FileRankingStore.at(Path.of(args[0]));
        String name = args[1];
        long version = version(store.load(), name);
        while (true) {
            version = Math.max(version + 1, System.currentTimeMillis()); // increasing, and recent (older entries age out)
            System.out.println("begin " + version);
            System.out.flush();
            store.save(rankings(name, version));
            System.out.println("done " + version);
            System.out.flush();
        }
    }

    /** The version of {@code name} in {@code r}: its last-used time, 0 when absent. */
    static long version(RememberedRankings r, String name) {
        RememberedNetwork n = r.networks().get(name);
        return n == null ? 0 : n.lastUsedMillis();
    }

    private static RememberedRankings rankings(String name, long version) {
        Map<String, RememberedNetwork> networks = new HashMap<>();
        Map<String, RememberedServer> servers = new HashMap<>();
        for (int s = 0; s < SERVERS; s++) {
            servers.put("server-" + s + ".example:993", new RememberedServer(20_000 + s, 500, 0, 4, version));
        }
        networks.put(name, new RememberedNetwork(version, version, servers));
        for (int i = 0; i < BALLAST_NETWORKS; i++) {
            networks.put(name + "-ballast-" + i, new RememberedNetwork(version, version, servers));
        }
        return new RememberedRankings(networks, Map.of());
    }
}

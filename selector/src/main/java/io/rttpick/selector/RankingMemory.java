package io.rttpick.selector;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The rankings the fleet policy remembers, per network and server, in wall time: bounded (the
 * least recently used network goes first), entries past the maximum age or dated in the future
 * count as stale and are dropped, servers that leave the fleet are forgotten. Touched only from
 * the policy, one event at a time.
 *
 * <p>A server whose RTT on one network changed by at least 10 ms and a third since it was
 * remembered there has moved (a new site, a new route): what other networks remember of it from
 * before counts as unknown, and their next confirmation measures it first.
 */
final class RankingMemory {
    private static final long MOVE_MIN_MICROS = 10_000;

    private final int maxNetworks;
    private final long maxAgeMillis;
    /** Access order: the eldest is the least recently used. */
    private final LinkedHashMap<String, Net> networks = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, Long> lastContact = new HashMap<>();
    private final Map<String, Long> movedAt = new HashMap<>();
    private long forgottenBefore;

    private static final class Net {
        long lastUsed;
        long lastFull;
        final Map<String, RememberedServer> servers = new HashMap<>();
        /**
         * Servers that answered here and then failed a probe, and when: not chosen while so, but
         * confirmed again by their old figure (a server down for an hour must be found back). Not
         * stored: after a restart they are simply tried again.
         */
        final Map<String, Long> failedAt = new HashMap<>();

        boolean failed(String key, RememberedServer s) {
            Long at = failedAt.get(key);
            return at != null && at >= s.whenMillis();
        }
    }

    RankingMemory(int maxNetworks, Duration maxAge) {
        this.maxNetworks = maxNetworks;
        this.maxAgeMillis = maxAge.toMillis();
    }

    /** Takes in what a store held; what this process learned meanwhile wins where newer. */
    void load(RememberedRankings stored, long wall) {
        RememberedRankings merged = stored.mergedWith(snapshot());
        networks.clear();
        lastContact.clear();
        List<Map.Entry<String, RememberedNetwork>> byUse = new ArrayList<>(merged.networks().entrySet());
        byUse.sort(Comparator.comparingLong(e -> e.getValue().lastUsedMillis()));
        byUse.forEach(e -> {
            String id = e.getKey();
            RememberedNetwork n = e.getValue();
            Net net = new Net();
            net.lastUsed = n.lastUsedMillis();
            net.lastFull = n.lastFullProbeMillis();
            n.servers().forEach((k, s) -> {
                if (s.freshAt(wall, maxAgeMillis)) {
                    net.servers.put(k, s);
                }
            });
            networks.put(id, net);
        });
        lastContact.putAll(merged.lastContactMillis());
        forgottenBefore = merged.forgottenBeforeMillis();
        trim(wall);
    }

    RememberedRankings snapshot() {
        Map<String, RememberedNetwork> nets = new LinkedHashMap<>();
        networks.forEach((id, n) -> nets.put(id, new RememberedNetwork(n.lastUsed, n.lastFull, n.servers)));
        return new RememberedRankings(nets, lastContact, forgottenBefore);
    }

    /** Forgets everything learned up to {@code wall}, in a store shared with other processes too. */
    void forget(long wall) {
        forgottenBefore = wall;
        networks.clear();
        lastContact.clear();
        movedAt.clear();
    }

    /** The app is on {@code network} now. */
    void used(String network, long wall) {
        net(network, wall).lastUsed = wall;
        trim(wall);
    }

    /** When every server was last probed on {@code network}; 0 for never. */
    long lastFull(String network) {
        Net n = networks.get(network);
        return n == null ? 0 : n.lastFull;
    }

    /** What can be used of {@code key} on {@code network}: fresh, and not from before the server moved. */
    private RememberedServer usable(Net n, String key, long wall) {
        RememberedServer s = n.servers.get(key);
        if (s == null || !s.freshAt(wall, maxAgeMillis)) {
            return null;
        }
        Long moved = movedAt.get(key);
        return moved != null && s.whenMillis() < moved ? null : s;
    }

    /** Whether something usable that answered is remembered of a server of the fleet on this network. */
    boolean known(String network, Fleet fleet, long wall) {
        Net n = networks.get(network);
        if (n == null) {
            return false;
        }
        for (String key : fleet.keys()) {
            RememberedServer s = usable(n, key, wall);
            if (s != null && s.answered() && !n.failed(key, s)) {
                return true;
            }
        }
        return false;
    }

    /** The remembered ranking of the fleet on {@code network}: usable entries only, grouped relative to their best. */
    Ranking ranking(String network, Fleet fleet, BucketPolicy buckets, long wall) {
        Net n = networks.get(network);
        List<String> keys = fleet.keys();
        long best = Long.MAX_VALUE;
        for (String key : keys) {
            RememberedServer s = n == null ? null : usable(n, key, wall);
            if (s != null && s.answered() && !n.failed(key, s)) {
                best = Math.min(best, s.medianMicros());
            }
        }
        List<RankedEndpoint> entries = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            RememberedServer s = n == null ? null : usable(n, keys.get(i), wall);
            if (s != null && n.failed(keys.get(i), s)) {
                s = new RememberedServer(-1, -1, 1, 1, n.failedAt.get(keys.get(i)));
            }
            if (s != null) {
                Bucket b = s.answered() ? buckets.classify(s.medianMicros(), best) : Bucket.NONE;
                entries.add(new RankedEndpoint(i, fleet.spelling(keys.get(i)), b, s));
            }
        }
        entries.sort(RankedEndpoint.ORDER);
        return new Ranking(entries, new Selection(null, List.of(), Duration.ZERO, false, entries), true);
    }

    /** The newest of the usable entries on {@code network}, for the ranking's age; 0 when none. */
    long newest(String network, Fleet fleet, long wall) {
        Net n = networks.get(network);
        long newest = 0;
        for (String key : fleet.keys()) {
            RememberedServer s = n == null ? null : usable(n, key, wall);
            if (s != null) {
                newest = Math.max(newest, s.whenMillis());
            }
        }
        return newest;
    }

    /**
     * The servers a confirmation probes, at most {@code k}: the current one, servers that moved
     * since this network last measured them, then the remembered best; {@code skip} says which
     * may not be chosen now (cooling off).
     */
    List<String> confirmSet(String network, Fleet fleet, String current, int k, long wall,
            Predicate<String> skip) {
        List<String> set = new ArrayList<>(k);
        if (current != null && fleet.contains(current)) {
            set.add(current);
        }
        Net n = networks.get(network);
        for (String key : fleet.keys()) {
            if (set.size() < k && !set.contains(key) && !skip.test(key) && movedAt.containsKey(key)
                    && (n == null || usable(n, key, wall) == null)) {
                set.add(key);
            }
        }
        // by the figure each last answered with here: one that failed since is tried again in its place
        List<String> byRtt = new ArrayList<>();
        for (String key : fleet.keys()) {
            RememberedServer s = n == null ? null : usable(n, key, wall);
            if (s != null && s.answered()) {
                byRtt.add(key);
            }
        }
        byRtt.sort(Comparator.comparingLong(key -> n.servers.get(key).medianMicros()));
        for (String key : byRtt) {
            if (set.size() >= k) {
                break;
            }
            if (!set.contains(key) && !skip.test(key)) {
                set.add(key);
            }
        }
        return set;
    }

    /** The servers that moved since {@code network} last measured them. */
    Set<String> movedHere(String network, Fleet fleet, long wall) {
        Set<String> moved = new HashSet<>();
        Net n = networks.get(network);
        for (String key : movedAt.keySet()) {
            if (fleet.contains(key) && (n == null || usable(n, key, wall) == null)) {
                moved.add(key);
            }
        }
        return moved;
    }

    /**
     * Remembers a probe's results on {@code network}: every server it measured (a full probe
     * also dates the network's last full probe). A server that moved is noted.
     */
    void remember(String network, Ranking probed, Fleet fleet, boolean full, long wall) {
        Net n = net(network, wall);
        for (RankedEndpoint r : probed.entries()) {
            if (r.bucket() == Bucket.MEASURING) {
                continue;
            }
            String key = fleet.keyOfProbed(r.address());
            if (!fleet.contains(key)) {
                continue;
            }
            RememberedServer now = RememberedServer.of(r, wall);
            RememberedServer before = usable(n, key, wall);
            if (before != null && moved(before, now)) {
                movedAt.put(key, wall);
            }
            if (!now.answered() && before != null && before.answered()) {
                n.failedAt.put(key, wall); // its last good figure kept, to be confirmed again
                continue;
            }
            n.failedAt.remove(key);
            n.servers.put(key, now);
        }
        if (full) {
            n.lastFull = wall;
        }
        trim(wall);
    }

    private static boolean moved(RememberedServer before, RememberedServer now) {
        if (before.answered() != now.answered()) {
            return false; // down or back: a failure, not a move
        }
        if (!now.answered()) {
            return false;
        }
        long a = before.medianMicros();
        long b = now.medianMicros();
        long d = Math.abs(a - b);
        return d >= MOVE_MIN_MICROS && d * 3 >= Math.max(a, b);
    }

    void contacted(List<String> keys, long wall) {
        for (String k : keys) {
            lastContact.put(k, wall);
        }
    }

    /** Distinct servers contacted in the 24 hours before {@code wall}. */
    int contactedInDay(long wall) {
        int n = 0;
        for (long t : lastContact.values()) {
            n += t <= wall && wall - t < 86_400_000L ? 1 : 0;
        }
        return n;
    }

    /** Servers that left the fleet are forgotten everywhere. */
    void keepOnly(Fleet fleet) {
        for (Net n : networks.values()) {
            n.servers.keySet().removeIf(k -> !fleet.contains(k));
            n.failedAt.keySet().removeIf(k -> !fleet.contains(k));
        }
        movedAt.keySet().removeIf(k -> !fleet.contains(k));
    }

    private Net net(String network, long wall) {
        Net n = networks.get(network);
        if (n == null) {
            n = new Net();
            n.lastUsed = wall;
            networks.put(network, n);
        }
        return n;
    }

    /** At most {@code maxNetworks}, least recently used out first; stale entries out. */
    private void trim(long wall) {
        Iterator<Map.Entry<String, Net>> it = networks.entrySet().iterator();
        while (networks.size() > maxNetworks && it.hasNext()) {
            it.next();
            it.remove();
        }
        for (Net n : networks.values()) {
            n.servers.values().removeIf(s -> !s.freshAt(wall, maxAgeMillis));
        }
        lastContact.values().removeIf(t -> wall - t > maxAgeMillis);
    }
}

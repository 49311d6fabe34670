package io.rttpick.selector;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything a {@link RankingStore} keeps, immutable: the rankings by network id, and when each
 * server last saw this device's address (for "servers contacted in the last 24 hours" across
 * restarts).
 */
public final class RememberedRankings {
    /** Nothing remembered. */
    public static final RememberedRankings EMPTY = new RememberedRankings(Map.of(), Map.of());

    private final Map<String, RememberedNetwork> networks;
    private final Map<String, Long> lastContactMillis;

    public RememberedRankings(Map<String, RememberedNetwork> networks, Map<String, Long> lastContactMillis) {
        this.networks = Collections.unmodifiableMap(new LinkedHashMap<>(networks));
        this.lastContactMillis = Collections.unmodifiableMap(new LinkedHashMap<>(lastContactMillis));
    }

    /** By {@link NetworkId#value()}. */
    public Map<String, RememberedNetwork> networks() {
        return networks;
    }

    /** By server key: when a probe last went to it. */
    public Map<String, Long> lastContactMillis() {
        return lastContactMillis;
    }

    /**
     * Both, the newer entry winning per network and server (for a store that more than one
     * process writes: what another process learned is not lost).
     */
    public RememberedRankings mergedWith(RememberedRankings other) {
        Map<String, RememberedNetwork> nets = new LinkedHashMap<>(networks);
        other.networks.forEach((id, theirs) -> nets.merge(id, theirs, RememberedRankings::merge));
        Map<String, Long> contacts = new LinkedHashMap<>(lastContactMillis);
        other.lastContactMillis.forEach((k, t) -> contacts.merge(k, t, Math::max));
        return new RememberedRankings(nets, contacts);
    }

    private static RememberedNetwork merge(RememberedNetwork a, RememberedNetwork b) {
        Map<String, RememberedServer> servers = new LinkedHashMap<>(a.servers());
        b.servers().forEach((k, s) -> servers.merge(k, s, (x, y) -> y.whenMillis() > x.whenMillis() ? y : x));
        return new RememberedNetwork(Math.max(a.lastUsedMillis(), b.lastUsedMillis()),
                Math.max(a.lastFullProbeMillis(), b.lastFullProbeMillis()), servers);
    }

    @Override
    public String toString() {
        return "RememberedRankings[" + networks.size() + " networks, " + lastContactMillis.size() + " servers contacted]";
    }
}

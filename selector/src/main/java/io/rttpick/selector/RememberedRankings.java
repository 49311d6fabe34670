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
    private final long forgottenBeforeMillis;

    public RememberedRankings(Map<String, RememberedNetwork> networks, Map<String, Long> lastContactMillis) {
        this(networks, lastContactMillis, 0);
    }

    /**
     * @param forgottenBeforeMillis when the user last asked to forget everything: what is dated
     *     before it is dropped, here and when merged with what another process wrote
     */
    public RememberedRankings(Map<String, RememberedNetwork> networks, Map<String, Long> lastContactMillis,
            long forgottenBeforeMillis) {
        this.forgottenBeforeMillis = forgottenBeforeMillis;
        Map<String, RememberedNetwork> nets = new LinkedHashMap<>();
        networks.forEach((id, n) -> {
            Map<String, RememberedServer> kept = new LinkedHashMap<>();
            n.servers().forEach((k, s) -> {
                if (s.whenMillis() >= forgottenBeforeMillis) {
                    kept.put(k, s);
                }
            });
            if (n.lastUsedMillis() >= forgottenBeforeMillis || !kept.isEmpty()) {
                nets.put(id, kept.size() == n.servers().size() ? n : new RememberedNetwork(n.lastUsedMillis(), n.lastFullProbeMillis(),
                        kept));
            }
        });
        Map<String, Long> contacts = new LinkedHashMap<>();
        lastContactMillis.forEach((k, t) -> {
            if (t >= forgottenBeforeMillis) {
                contacts.put(k, t);
            }
        });
        this.networks = Collections.unmodifiableMap(nets);
        this.lastContactMillis = Collections.unmodifiableMap(contacts);
    }

    /** When everything was last forgotten (0: never). */
    public long forgottenBeforeMillis() {
        return forgottenBeforeMillis;
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
     * process writes: what another process learned is not lost), without what either forgot.
     */
    public RememberedRankings mergedWith(RememberedRankings other) {
        Map<String, RememberedNetwork> nets = new LinkedHashMap<>(networks);
        other.networks.forEach((id, theirs) -> nets.merge(id, theirs, RememberedRankings::merge));
        Map<String, Long> contacts = new LinkedHashMap<>(lastContactMillis);
        other.lastContactMillis.forEach((k, t) -> contacts.merge(k, t, Math::max));
        return new RememberedRankings(nets, contacts, Math.max(forgottenBeforeMillis, other.forgottenBeforeMillis));
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

package io.rttpick.selector;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The app's own measurements per server ({@link FleetSelector#observe}), kept for a window and
 * summarised per server. Handshakes and the kernel's RTT of the connection are round trips; a
 * request's time also holds the server's own work, so it counts only when there is nothing
 * better, as its minimum (an upper bound of the RTT). Touched only from the policy.
 */
final class PassiveSamples {
    /** Per server: at most this many samples in the window (a chatty app reports often). */
    static final int MAX_PER_SERVER = 64;

    private final long windowNanos;
    private final Map<String, ArrayDeque<long[]>> byServer = new HashMap<>();

    PassiveSamples(long windowNanos) {
        this.windowNanos = windowNanos;
    }

    void add(String key, long micros, FleetSelector.Observed kind, long now) {
        ArrayDeque<long[]> q = byServer.computeIfAbsent(key, k -> new ArrayDeque<>());
        q.addLast(new long[] {now, micros, kind.ordinal()});
        while (q.size() > MAX_PER_SERVER) {
            q.pollFirst();
        }
    }

    /**
     * The server's RTT from its fresh samples: the median of its round trips (handshakes, the
     * kernel's figure), else the least of its requests' times; -1 when none is fresh.
     */
    long rttMicros(String key, long now) {
        ArrayDeque<long[]> q = fresh(key, now);
        if (q == null) {
            return -1;
        }
        long[] trips = q.stream().filter(s -> s[2] != FleetSelector.Observed.REQUEST.ordinal()).mapToLong(s -> s[1]).sorted().toArray();
        if (trips.length > 0) {
            return trips[trips.length / 2];
        }
        return q.stream().mapToLong(s -> s[1]).min().getAsLong();
    }

    /** How many fresh samples {@code key} has. */
    int freshCount(String key, long now) {
        ArrayDeque<long[]> q = fresh(key, now);
        return q == null ? 0 : q.size();
    }

    /** {@code key}'s samples with the stale ones dropped; null when none is left. */
    private ArrayDeque<long[]> fresh(String key, long now) {
        ArrayDeque<long[]> q = byServer.get(key);
        if (q == null) {
            return null;
        }
        q.removeIf(s -> now - s[0] > windowNanos || s[0] > now);
        if (q.isEmpty()) {
            byServer.remove(key);
            return null;
        }
        return q;
    }

    void forget(String key) {
        byServer.remove(key);
    }
}

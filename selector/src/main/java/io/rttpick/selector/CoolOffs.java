package io.rttpick.selector;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Failed servers cooling off: the first failure for the first cool-off, doubled per failure in a
 * row up to the maximum. Keyed by server key. Not thread-safe: the policy owns it, and hands the
 * probe run a copy of {@link #untilByKey()}.
 */
final class CoolOffs {
    private final long firstNanos;
    private final long maxNanos;
    private final Map<String, Failure> failures = new HashMap<>();

    /** One server's failures: how many in a row, and until when it cools off. (No records: Android API 26.) */
    private static final class Failure {
        final int count;
        final long untilNanos;

        Failure(int count, long untilNanos) {
            this.count = count;
            this.untilNanos = untilNanos;
        }
    }

    CoolOffs(Duration first, Duration max) {
        this.firstNanos = first.toNanos();
        this.maxNanos = max.toNanos();
    }

    void failed(String key, long nowNanos) {
        Failure before = failures.get(key);
        int count = before == null ? 1 : before.count + 1;
        long coolOff = firstNanos << Math.min(20, count - 1);
        failures.put(key, new Failure(count, nowNanos + Math.min(coolOff <= 0 ? maxNanos : coolOff, maxNanos)));
    }

    void forget(String key) {
        failures.remove(key);
    }

    boolean coolingOff(String key, long nowNanos) {
        Failure f = failures.get(key);
        return f != null && f.untilNanos - nowNanos > 0;
    }

    /** Until when each failed server cools off (some may have ended already), a copy. */
    Map<String, Long> untilByKey() {
        Map<String, Long> until = new HashMap<>();
        failures.forEach((k, f) -> until.put(k, f.untilNanos));
        return until;
    }
}

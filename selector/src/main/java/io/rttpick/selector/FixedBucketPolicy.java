package io.rttpick.selector;

import java.time.Duration;
import java.util.OptionalLong;

/** Fixed bounds: for fleets where "fast" has an absolute meaning (say, under 50 ms). */
final class FixedBucketPolicy implements BucketPolicy {
    private final long fastMax;
    private final long averageMax;

    FixedBucketPolicy(Duration fastMax, Duration averageMax) {
        this.fastMax = fastMax.toNanos() / 1_000;
        this.averageMax = averageMax.toNanos() / 1_000;
        if (this.fastMax < 0 || this.averageMax < this.fastMax) {
            throw new IllegalArgumentException("need 0 <= fast max <= average max, got " + fastMax + " and " + averageMax);
        }
    }

    @Override
    public OptionalLong fastMaxMicros(OptionalLong best) {
        return OptionalLong.of(fastMax);
    }

    @Override
    public OptionalLong averageMaxMicros(OptionalLong best) {
        return OptionalLong.of(averageMax);
    }

    @Override
    public String toString() {
        return "fixed (FAST <= " + fastMax + " us, AVERAGE <= " + averageMax + " us)";
    }
}

package io.rttpick.selector;

import java.time.Duration;
import java.util.OptionalLong;

/** Where the FAST and AVERAGE groups end. Pluggable: {@link #relative()} is the default. */
public interface BucketPolicy {

    /**
     * The largest RTT (inclusive, microseconds) that is still FAST, given the best RTT seen so
     * far; empty when it cannot be known yet (a relative policy before the first answer).
     */
    OptionalLong fastMaxMicros(OptionalLong bestMicros);

    /** The largest RTT that is still AVERAGE; same rules. */
    OptionalLong averageMaxMicros(OptionalLong bestMicros);

    /** The group of an RTT, given the best RTT of the ranking. */
    default Bucket classify(long rttMicros, long bestMicros) {
        OptionalLong best = OptionalLong.of(bestMicros);
        if (rttMicros <= fastMaxMicros(best).orElse(Long.MAX_VALUE)) {
            return Bucket.FAST;
        }
        if (rttMicros <= averageMaxMicros(best).orElse(Long.MAX_VALUE)) {
            return Bucket.AVERAGE;
        }
        return Bucket.SLOW;
    }

    /**
     * Relative to the best RTT b: FAST up to b + max(20 ms, b/2), AVERAGE up to
     * b + max(100 ms, 2b), SLOW above.
     */
    static BucketPolicy relative() {
        return RelativeBucketPolicy.INSTANCE;
    }

    /** Fixed bounds, whatever the best: FAST up to {@code fastMax}, AVERAGE up to {@code averageMax}. */
    static BucketPolicy fixed(Duration fastMax, Duration averageMax) {
        return new FixedBucketPolicy(fastMax, averageMax);
    }
}

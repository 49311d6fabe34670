package io.rttpick.selector;

import java.util.OptionalLong;

/** The default policy: groups measured from the best RTT, so a far-away user still gets a FAST group. */
final class RelativeBucketPolicy implements BucketPolicy {
    static final RelativeBucketPolicy INSTANCE = new RelativeBucketPolicy();
    private static final long FAST_MIN_MARGIN = 20_000;
    private static final long AVERAGE_MIN_MARGIN = 100_000;

    @Override
    public OptionalLong fastMaxMicros(OptionalLong best) {
        if (!best.isPresent()) {
            return OptionalLong.empty();
        }
        long b = best.getAsLong();
        return OptionalLong.of(b + Math.max(FAST_MIN_MARGIN, b / 2));
    }

    @Override
    public OptionalLong averageMaxMicros(OptionalLong best) {
        if (!best.isPresent()) {
            return OptionalLong.empty();
        }
        long b = best.getAsLong();
        return OptionalLong.of(b + Math.max(AVERAGE_MIN_MARGIN, 2 * b));
    }

    @Override
    public String toString() {
        return "relative (FAST <= b + max(20 ms, b/2), AVERAGE <= b + max(100 ms, 2b))";
    }
}

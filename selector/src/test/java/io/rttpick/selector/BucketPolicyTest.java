package io.rttpick.selector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class BucketPolicyTest {
    private final BucketPolicy relative = BucketPolicy.relative();

    @Test
    void relativeBoundsUseTheFixedMarginForNearServers() {
        // b = 29 ms: FAST up to 49 ms, AVERAGE up to 129 ms
        assertEquals(49_000, relative.fastMaxMicros(OptionalLong.of(29_000)).getAsLong());
        assertEquals(129_000, relative.averageMaxMicros(OptionalLong.of(29_000)).getAsLong());
        assertEquals(Bucket.FAST, relative.classify(49_000, 29_000));
        assertEquals(Bucket.AVERAGE, relative.classify(49_001, 29_000));
        assertEquals(Bucket.AVERAGE, relative.classify(127_000, 29_000));
        assertEquals(Bucket.SLOW, relative.classify(279_000, 29_000));
    }

    @Test
    void relativeBoundsGrowWithTheBestForFarServers() {
        // b = 200 ms: FAST up to 300 ms (b/2), AVERAGE up to 600 ms (2b)
        assertEquals(300_000, relative.fastMaxMicros(OptionalLong.of(200_000)).getAsLong());
        assertEquals(600_000, relative.averageMaxMicros(OptionalLong.of(200_000)).getAsLong());
        assertEquals(Bucket.SLOW, relative.classify(600_001, 200_000));
    }

    @Test
    void relativeBoundsAreUnknownBeforeAnyAnswer() {
        assertFalse(relative.fastMaxMicros(OptionalLong.empty()).isPresent());
    }

    @Test
    void fixedBoundsIgnoreTheBest() {
        BucketPolicy fixed = BucketPolicy.fixed(Duration.ofMillis(50), Duration.ofMillis(150));
        assertEquals(50_000, fixed.fastMaxMicros(OptionalLong.empty()).getAsLong());
        assertEquals(Bucket.AVERAGE, fixed.classify(60_000, 1_000));
        assertEquals(Bucket.SLOW, fixed.classify(150_001, 149_000));
        assertThrows(IllegalArgumentException.class, () -> BucketPolicy.fixed(Duration.ofMillis(50), Duration.ofMillis(10)));
    }
}

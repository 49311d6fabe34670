package io.rttpick.selector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rttpick.prober.Handshake;
import io.rttpick.prober.Outcome;
import io.rttpick.prober.RttSample;
import io.rttpick.prober.Timing;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SampleSummaryTest {

    private static RttSample ok(int attempt, long millis) {
        return RttSample.builder(0, "a:1").attempt(attempt).startedAt(java.time.Instant.EPOCH).prober("test").ok(millis * 1000, Timing.KERNEL, Handshake.HALF_OPEN).build();
    }

    private static RttSample retransmitted(int attempt, long millis) {
        return RttSample.builder(0, "a:1").attempt(attempt).startedAt(java.time.Instant.EPOCH).prober("test").ok(millis * 1000, Timing.USERSPACE, Handshake.HALF_OPEN)
                .detail(RttSample.Details.SYN_RETRANSMITTED, true).build();
    }

    private static RttSample lost(int attempt) {
        return RttSample.builder(0, "a:1").attempt(attempt).startedAt(java.time.Instant.EPOCH).prober("test").failed(Outcome.TIMEOUT, "tcp check timeout: I/O timeout").build();
    }

    @Test
    void medianJitterAndLossOfCleanSamples() {
        // jitter in attempt order: |34-30| + |26-34| + |30-26| = 16 over 3 steps
        SampleSummary s = SampleSummary.of(new ArrayList<>(List.of(ok(2, 26), ok(0, 30), ok(3, 30), ok(1, 34))));
        assertEquals(30_000, s.medianMicros);
        assertEquals(16_000 / 3, s.jitterMicros);
        assertEquals(0.0, s.loss);
    }

    @Test
    void aRetransmittedSynIsLossAndItsTimeStaysOutOfTheMedian() {
        SampleSummary s = SampleSummary.of(List.of(ok(0, 30), retransmitted(1, 1030), ok(2, 32), lost(3)));
        assertEquals(31_000, s.medianMicros);
        assertEquals(2_000, s.jitterMicros);
        assertEquals(0.5, s.loss);
    }

    @Test
    void withOnlyRetransmittedSamplesTheirTimeIsAllThereIs() {
        SampleSummary s = SampleSummary.of(List.of(retransmitted(0, 1029)));
        assertEquals(1_029_000, s.medianMicros);
        assertEquals(SampleSummary.NONE, s.jitterMicros);
        assertEquals(1.0, s.loss);
    }

    @Test
    void nothingAnsweredMeansNoFigures() {
        SampleSummary s = SampleSummary.of(List.of(lost(0), lost(1)));
        assertEquals(SampleSummary.NONE, s.medianMicros);
        assertEquals(SampleSummary.NONE, s.jitterMicros);
        assertEquals(1.0, s.loss);
        assertEquals(1.0, SampleSummary.of(List.of()).loss);
    }
}

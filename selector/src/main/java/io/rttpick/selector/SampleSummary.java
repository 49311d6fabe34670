package io.rttpick.selector;

import io.rttpick.prober.RttSample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * One address's samples in three figures: median RTT, jitter and loss.
 *
 * <p>A sample whose SYN was retransmitted counts as loss, and its RTT (which includes the
 * retransmission timeout) is left out of the median and the jitter while a clean sample exists:
 * the kernel itself takes no RTT sample from such a handshake (Karn's rule).
 */
final class SampleSummary {
    static final long NONE = -1;

    final long medianMicros;
    final long jitterMicros;
    final double loss;

    private SampleSummary(long medianMicros, long jitterMicros, double loss) {
        this.medianMicros = medianMicros;
        this.jitterMicros = jitterMicros;
        this.loss = loss;
    }

    static SampleSummary of(List<RttSample> samples) {
        if (samples.isEmpty()) {
            return new SampleSummary(NONE, NONE, 1.0);
        }
        List<RttSample> ok = new ArrayList<>();
        List<RttSample> clean = new ArrayList<>();
        for (RttSample s : samples) {
            if (s.isOk()) {
                ok.add(s);
                if (!retransmitted(s)) {
                    clean.add(s);
                }
            }
        }
        List<RttSample> used = clean.isEmpty() ? ok : clean;
        used.sort(Comparator.comparingInt(RttSample::attempt));
        double loss = (double) (samples.size() - clean.size()) / samples.size();
        return new SampleSummary(median(used), jitter(used), loss);
    }

    static boolean retransmitted(RttSample s) {
        return s.synRetransmitted();
    }

    /** The mean of the middle two for an even count. */
    private static long median(List<RttSample> ok) {
        if (ok.isEmpty()) {
            return NONE;
        }
        long[] rtts = ok.stream().mapToLong(x -> x.rttMicros().getAsLong()).toArray();
        Arrays.sort(rtts);
        int mid = rtts.length / 2;
        return rtts.length % 2 == 1 ? rtts[mid] : (rtts[mid - 1] + rtts[mid]) / 2;
    }

    /** Mean absolute difference of consecutive samples (in attempt order), as RFC 3550 reads jitter. */
    private static long jitter(List<RttSample> ok) {
        if (ok.size() < 2) {
            return NONE;
        }
        long sum = 0;
        for (int i = 1; i < ok.size(); i++) {
            sum += Math.abs(ok.get(i).rttMicros().getAsLong() - ok.get(i - 1).rttMicros().getAsLong());
        }
        return sum / (ok.size() - 1);
    }
}

package io.rttpick.selector;

/**
 * What is remembered of one server on one network: the summary of its last measurement there
 * and when (wall time, so that it means the same after a restart).
 */
public final class RememberedServer {
    private final long medianMicros;
    private final long jitterMicros;
    private final double loss;
    private final int samples;
    private final long whenMillis;

    /**
     * @param medianMicros median RTT, or -1 when it did not answer
     * @param jitterMicros jitter, or -1 when unknown
     * @param loss share of attempts lost, 0..1
     * @param samples attempts the summary is made of
     * @param whenMillis when it was measured, in milliseconds since the epoch
     */
    public RememberedServer(long medianMicros, long jitterMicros, double loss, int samples, long whenMillis) {
        if (!(loss >= 0 && loss <= 1)) {
            throw new IllegalArgumentException("loss must be within 0..1, got " + loss);
        }
        this.medianMicros = Math.max(-1, medianMicros);
        this.jitterMicros = Math.max(-1, jitterMicros);
        this.loss = loss;
        this.samples = Math.max(0, samples);
        this.whenMillis = whenMillis;
    }

    static RememberedServer of(RankedEndpoint r, long whenMillis) {
        return new RememberedServer(r.rttMicros().orElse(-1), r.jitterMicros().orElse(-1), r.loss(), r.samples().size(),
                whenMillis);
    }

    /** Median RTT in microseconds; -1 when the server did not answer. */
    public long medianMicros() {
        return medianMicros;
    }

    public long jitterMicros() {
        return jitterMicros;
    }

    public double loss() {
        return loss;
    }

    public int samples() {
        return samples;
    }

    public long whenMillis() {
        return whenMillis;
    }

    public boolean answered() {
        return medianMicros >= 0;
    }

    /** Fresh: measured no later than now and no longer than {@code maxAgeMillis} ago; a future date counts as stale. */
    boolean freshAt(long nowMillis, long maxAgeMillis) {
        return whenMillis <= nowMillis && nowMillis - whenMillis <= maxAgeMillis;
    }

    @Override
    public String toString() {
        return (answered() ? medianMicros + "us" : "no answer") + " at " + whenMillis;
    }
}

package io.rttpick.selector;

import io.rttpick.prober.Endpoint;
import io.rttpick.prober.Outcome;
import io.rttpick.prober.RttSample;
import java.net.InetSocketAddress;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One address of a run with its group and the summary of its samples: median RTT, jitter and
 * loss. Within a group, a clean server ranks before one with loss, whatever their RTTs: the
 * group already says their RTTs are alike, and a lost SYN costs a second of retransmission
 * timeout where a few milliseconds of RTT cost nothing.
 */
public final class RankedEndpoint {
    /** Group, then loss, then median RTT, then the caller's order. */
    static final Comparator<RankedEndpoint> ORDER = Comparator.comparing(RankedEndpoint::bucket)
            .thenComparingDouble(RankedEndpoint::loss)
            .thenComparingLong(r -> r.rttMicros().orElse(Long.MAX_VALUE))
            .thenComparingInt(RankedEndpoint::index);

    private final int index;
    private final String address;
    private final Bucket bucket;
    private final List<RttSample> samples;
    private final long medianMicros;
    private final long jitterMicros;
    private final double loss;

    RankedEndpoint(int index, String address, Bucket bucket, List<RttSample> samples) {
        this.index = index;
        this.address = address;
        this.bucket = bucket;
        this.samples = List.copyOf(samples);
        SampleSummary summary = SampleSummary.of(this.samples);
        this.medianMicros = summary.medianMicros;
        this.jitterMicros = summary.jitterMicros;
        this.loss = summary.loss;
    }

    /** A remembered server: its summary without the samples behind it. */
    RankedEndpoint(int index, String address, Bucket bucket, RememberedServer remembered) {
        this.index = index;
        this.address = address;
        this.bucket = bucket;
        this.samples = List.of();
        this.medianMicros = remembered.medianMicros();
        this.jitterMicros = remembered.jitterMicros();
        this.loss = remembered.loss();
    }

    private RankedEndpoint(RankedEndpoint from, int index, String address, Bucket bucket) {
        this.index = index;
        this.address = address;
        this.bucket = bucket;
        this.samples = from.samples;
        this.medianMicros = from.medianMicros;
        this.jitterMicros = from.jitterMicros;
        this.loss = from.loss;
    }

    /** The same figures in another group (a ranking regrouped around a new best). */
    RankedEndpoint withBucket(Bucket b) {
        return new RankedEndpoint(this, index, address, b);
    }

    /** The same figures at another position and spelling (as the ranking it joins has them). */
    RankedEndpoint at(int index, String address) {
        return new RankedEndpoint(this, index, address, bucket);
    }

    /** Position of the address in the caller's list. */
    public int index() {
        return index;
    }

    /** The address as given. */
    public String address() {
        return address;
    }

    public Bucket bucket() {
        return bucket;
    }

    /** Median RTT of the OK samples (the clean ones, when there are any); empty when there is none. */
    public OptionalLong rttMicros() {
        return medianMicros < 0 ? OptionalLong.empty() : OptionalLong.of(medianMicros);
    }

    public List<RttSample> samples() {
        return samples;
    }

    public Optional<Endpoint> endpoint() {
        return samples.stream().map(RttSample::endpoint).filter(Optional::isPresent).map(Optional::get).findFirst();
    }

    /** The socket address probed, if any sample got that far. */
    public Optional<InetSocketAddress> resolved() {
        return samples.stream().map(RttSample::resolved).filter(Optional::isPresent).map(Optional::get).findFirst();
    }

    /** OK when any sample was OK, else the last sample's outcome (ERROR when there is none yet). */
    public Outcome outcome() {
        if (medianMicros >= 0) {
            return Outcome.OK;
        }
        return samples.isEmpty() ? Outcome.ERROR : samples.get(samples.size() - 1).outcome();
    }

    /** The last failure's text when no sample was OK. */
    public Optional<String> error() {
        if (medianMicros >= 0 || samples.isEmpty()) {
            return Optional.empty();
        }
        return samples.get(samples.size() - 1).error();
    }

    /**
     * Mean absolute difference between consecutive samples' RTTs; empty with fewer than two OK
     * samples. Meaningful with spaced samples ({@link io.rttpick.prober.ProbeOptions#sampleSpacing()}).
     */
    public OptionalLong jitterMicros() {
        return jitterMicros < 0 ? OptionalLong.empty() : OptionalLong.of(jitterMicros);
    }

    /** Share of attempts that failed or needed a retransmitted SYN, 0..1. */
    public double loss() {
        return loss;
    }

    @Override
    public String toString() {
        return address + " " + bucket + (medianMicros >= 0 ? " " + medianMicros + "us" : "")
                + (loss > 0 ? " loss " + Math.round(loss * 100) + "%" : "");
    }
}

package io.rttpick.selector;

import io.rttpick.prober.Endpoint;
import io.rttpick.prober.Outcome;
import io.rttpick.prober.RttSample;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** One address of a run with its group: median RTT of its OK samples and its loss. */
public final class RankedEndpoint {
    private final int index;
    private final String address;
    private final Bucket bucket;
    private final List<RttSample> samples;
    private final long medianMicros;

    RankedEndpoint(int index, String address, Bucket bucket, List<RttSample> samples, long medianMicros) {
        this.index = index;
        this.address = address;
        this.bucket = bucket;
        this.samples = List.copyOf(samples);
        this.medianMicros = medianMicros;
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

    /** Median RTT of the OK samples; empty when there is none. */
    public OptionalLong rttMicros() {
        return medianMicros < 0 ? OptionalLong.empty() : OptionalLong.of(medianMicros);
    }

    public List<RttSample> samples() {
        return samples;
    }

    public Optional<Endpoint> endpoint() {
        return samples.stream().map(RttSample::endpoint).flatMap(Optional::stream).findFirst();
    }

    /** The socket address probed, if any sample got that far. */
    public Optional<InetSocketAddress> resolved() {
        return samples.stream().map(RttSample::resolved).flatMap(Optional::stream).findFirst();
    }

    /** OK when any sample was OK, else the last sample's outcome. */
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

    /** Share of attempts that were not OK, 0..1. */
    public double loss() {
        if (samples.isEmpty()) {
            return 1.0;
        }
        long failed = samples.stream().filter(s -> !s.isOk()).count();
        return (double) failed / samples.size();
    }

    @Override
    public String toString() {
        return address + " " + bucket + (medianMicros >= 0 ? " " + medianMicros + "us" : "");
    }
}

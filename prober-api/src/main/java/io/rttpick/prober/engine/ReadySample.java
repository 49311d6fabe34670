package io.rttpick.prober.engine;

import io.rttpick.prober.RttSample;
import java.util.Objects;

/** An input's result known before any packet (invalid, unresolvable): emitted in its turn. */
final class ReadySample implements RunInput {
    final RttSample sample;

    ReadySample(RttSample sample) {
        this.sample = Objects.requireNonNull(sample);
    }

    @Override
    public int index() {
        return sample.index();
    }
}

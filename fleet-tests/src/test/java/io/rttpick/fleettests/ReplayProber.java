package io.rttpick.fleettests;

import io.rttpick.prober.ProbeEvent;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.prober.RttSample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import reactor.core.publisher.Flux;

/**
 * Answers each attempt with a sample drawn at random from those a real prober recorded for
 * that address: the statistical repetitions of a scenario, on real measurements, without a
 * thousand real runs.
 */
final class ReplayProber implements Prober {
    private final Map<String, List<RttSample>> recorded;
    private final SplittableRandom random;

    ReplayProber(Map<String, List<RttSample>> recorded, SplittableRandom random) {
        this.recorded = recorded;
        this.random = random;
    }

    @Override
    public String name() {
        return "replay";
    }

    @Override
    public synchronized Flux<ProbeEvent> events(List<String> addresses, ProbeOptions options) {
        List<ProbeEvent> events = new ArrayList<>();
        for (int i = 0; i < addresses.size(); i++) {
            List<RttSample> samples = recorded.get(addresses.get(i));
            if (samples == null || samples.isEmpty()) {
                throw new IllegalArgumentException("nothing recorded for " + addresses.get(i));
            }
            for (int attempt = 0; attempt < options.samplesPerEndpoint(); attempt++) {
                RttSample s = samples.get(random.nextInt(samples.size())).copyAs(i, attempt).build();
                events.add(new ProbeEvent.Started(i, attempt, s.address(), s.resolved().orElse(null), s.startedAt()));
                events.add(new ProbeEvent.Completed(s));
            }
        }
        return Flux.fromIterable(events);
    }

    @Override
    public void close() {
    }
}

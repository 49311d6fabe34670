package io.rttpick.serve;

import io.rttpick.prober.ProbeEvent;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import java.util.List;
import reactor.core.publisher.Flux;

/** A prober whose every finished attempt is counted in the metrics. */
final class MeteredProber implements Prober {
    private final Prober prober;
    private final ServeMetrics metrics;

    MeteredProber(Prober prober, ServeMetrics metrics) {
        this.prober = prober;
        this.metrics = metrics;
    }

    @Override
    public String name() {
        return prober.name();
    }

    @Override
    public Flux<ProbeEvent> events(List<String> addresses, ProbeOptions options) {
        return prober.events(addresses, options).doOnNext(e -> {
            if (e instanceof ProbeEvent.Completed) {
                metrics.probed(((ProbeEvent.Completed) e).sample());
            }
        });
    }

    @Override
    public void close() {
        prober.close();
    }
}

package io.rttpick.serve;

import io.rttpick.prober.ForwardingProber;
import io.rttpick.prober.ProbeEvent;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import java.util.List;
import reactor.core.publisher.Flux;

/** A prober whose every finished attempt is counted in the metrics. */
final class MeteredProber extends ForwardingProber {
    private final ServeMetrics metrics;

    MeteredProber(Prober prober, ServeMetrics metrics) {
        super(prober);
        this.metrics = metrics;
    }

    @Override
    public Flux<ProbeEvent> events(List<String> addresses, ProbeOptions options) {
        return super.events(addresses, options).doOnNext(e -> {
            if (e instanceof ProbeEvent.Completed) {
                metrics.probed(((ProbeEvent.Completed) e).sample());
            }
        });
    }
}

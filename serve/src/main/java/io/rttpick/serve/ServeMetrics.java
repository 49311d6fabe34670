package io.rttpick.serve;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rttpick.prober.RttSample;
import io.rttpick.selector.FleetChoice;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * What {@code serve} counts, for Prometheus at {@code /metrics}: probes by prober and outcome,
 * the RTT distribution, the fleet's selections by reason and its switches of server, and
 * JSON-RPC calls by method and result. Every name starts with {@code rttpick_}.
 */
final class ServeMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private String lastServer;

    ServeMetrics() {
        new JvmMemoryMetrics().bindTo(registry); // jvm_memory_used_bytes: what the service holds, for operators
    }

    void probed(RttSample s) {
        Counter.builder("rttpick.probes").description("probe attempts that ended, by prober and outcome")
                .tag("prober", s.prober()).tag("outcome", s.outcome().name()).register(registry).increment();
        if (s.rttMicros().isPresent()) {
            Timer.builder("rttpick.rtt").description("round-trip times measured")
                    .tag("prober", s.prober())
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofNanos(100_000))
                    .maximumExpectedValue(Duration.ofSeconds(10))
                    .register(registry).record(s.rttMicros().getAsLong(), TimeUnit.MICROSECONDS);
        }
    }

    /** Every answer of the fleet selector; a change of server counts as a switch. */
    synchronized void chose(FleetChoice c) {
        Counter.builder("rttpick.selections").description("answers of the fleet selector, by reason")
                .tag("reason", c.reason().name()).register(registry).increment();
        String server = c.server().orElse(null);
        if (lastServer != null && server != null && !Objects.equals(lastServer, server)) {
            Counter.builder("rttpick.switches").description("changes of the server in use").register(registry).increment();
        }
        if (server != null) {
            lastServer = server;
        }
    }

    /** A client reset its connection mid-request (printed nowhere; counted). */
    void clientReset() {
        Counter.builder("rttpick.client.resets").description("client connections reset mid-request (nothing is printed for them)")
                .register(registry).increment();
    }

    void rpc(String method, String result) {
        Counter.builder("rttpick.rpc.calls").description("JSON-RPC calls by method and result (ok or the error code)")
                .tag("method", method).tag("result", result).register(registry).increment();
    }

    String scrape() {
        return registry.scrape();
    }
}

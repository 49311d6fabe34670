package io.rttpick.okhttp;

import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.selector.FleetChoice;
import io.rttpick.selector.FleetSelector;
import io.rttpick.selector.RandomDraw;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/** What {@link RttpickOkHttp.Builder} was told: immutable, shared by the integration's parts. */
final class Settings {
    private final int defaultPort;
    private final Map<String, Integer> ports;
    private final Duration probeTimeout;
    private final RandomDraw random;
    private final UnaryOperator<FleetSelector.Builder> customize;
    private final LongSupplier nanoTime;

    Settings(int defaultPort, Map<String, Integer> ports, Duration probeTimeout, RandomDraw random,
             UnaryOperator<FleetSelector.Builder> customize, LongSupplier nanoTime) {
        this.defaultPort = defaultPort;
        this.ports = ports;
        this.probeTimeout = probeTimeout;
        this.random = random;
        this.customize = customize;
        this.nanoTime = nanoTime;
    }

    /** The port probed for {@code host} where OkHttp did not say (a plain {@code lookup(host)}). */
    int port(String host) {
        Integer p = ports.get(host);
        return p != null ? p : defaultPort;
    }

    /**
     * The selector's choice now (a probe when it has no ranking yet), waited for at most the probe
     * timeout: no call thread blocks longer; null when none came or no server can be chosen.
     */
    String awaitChoice(FleetSelector selector) {
        try {
            FleetChoice choice = selector.current().block(probeTimeout);
            return choice == null ? null : choice.server().orElse(null);
        } catch (RuntimeException late) {
            return null;
        }
    }

    Duration probeTimeout() {
        return probeTimeout;
    }

    RandomDraw random() {
        return random;
    }

    long nanoTime() {
        return nanoTime.getAsLong();
    }

    FleetSelector selector(Prober prober, List<String> servers) {
        FleetSelector.Builder b = FleetSelector.builder(prober, servers)
                .probeOptions(ProbeOptions.builder().timeout(probeTimeout).build())
                .random(random);
        return customize.apply(b).build();
    }
}

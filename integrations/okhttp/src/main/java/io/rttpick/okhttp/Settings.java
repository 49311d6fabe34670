package io.rttpick.okhttp;

import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.selector.FleetChoice;
import io.rttpick.selector.FleetSelector;
import io.rttpick.selector.RandomDraw;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** What {@link RttpickOkHttp.Builder} was told: immutable, shared by the integration's parts. */
final class Settings {
    /** Beyond the probe timeout, what the first choice may still take (the selector's own turn). */
    private static final Duration MARGIN = Duration.ofMillis(250);

    private final int defaultPort;
    private final Map<String, Integer> ports;
    private final Duration probeTimeout;
    private final RandomDraw random;
    private final UnaryOperator<FleetSelector.Builder> customize;

    Settings(int defaultPort, Map<String, Integer> ports, Duration probeTimeout, RandomDraw random,
             UnaryOperator<FleetSelector.Builder> customize) {
        this.defaultPort = defaultPort;
        this.ports = ports;
        this.probeTimeout = probeTimeout;
        this.random = random;
        this.customize = customize;
    }

    int port(String host) {
        Integer p = ports.get(host);
        return p != null ? p : defaultPort;
    }

    /**
     * The selector's choice now (a probe when it has no ranking yet, waited for at most the probe
     * timeout and a margin); null when none came or no server can be chosen.
     */
    String awaitChoice(FleetSelector selector) {
        try {
            FleetChoice choice = selector.current().block(probeTimeout.plus(MARGIN));
            return choice == null ? null : choice.server().orElse(null);
        } catch (RuntimeException late) {
            return null;
        }
    }

    RandomDraw random() {
        return random;
    }

    FleetSelector selector(Prober prober, List<String> servers) {
        FleetSelector.Builder b = FleetSelector.builder(prober, servers)
                .probeOptions(ProbeOptions.builder().timeout(probeTimeout).build())
                .random(random);
        return customize.apply(b).build();
    }
}

package io.rttpick.okhttp;

import io.rttpick.prober.Prober;
import java.net.InetAddress;
import java.util.List;

/** The host names' fleets, at most a bound of them (OkHttp has no close hook: see {@link BoundedSelectors}). */
final class HostFleets implements AutoCloseable {
    private final Prober prober;
    private final Settings settings;
    private final BoundedSelectors<String, HostFleet> byHost;

    HostFleets(Prober prober, Settings settings, int maxHosts) {
        this.prober = prober;
        this.settings = settings;
        this.byHost = new BoundedSelectors<>(maxHosts);
    }

    /** {@code host}'s fleet, made on its first lookup. */
    HostFleet get(String host, List<InetAddress> resolved) {
        return byHost.get(host, h -> new HostFleet(settings.port(h), resolved, prober, settings));
    }

    /** {@code host}'s fleet if a lookup made one. */
    HostFleet peek(String host) {
        return byHost.peek(host);
    }

    int size() {
        return byHost.size();
    }

    @Override
    public void close() {
        byHost.close();
    }
}

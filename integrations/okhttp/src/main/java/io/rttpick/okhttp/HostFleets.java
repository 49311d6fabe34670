package io.rttpick.okhttp;

import io.rttpick.prober.Prober;
import java.net.InetAddress;
import java.util.List;

/**
 * The fleets by host name and port, at most a bound of them (OkHttp has no close hook: see
 * {@link BoundedSelectors}). A fault of theirs never reaches OkHttp: {@link #order} then hands
 * the resolver's answer back as it came, and says so once.
 */
final class HostFleets implements AutoCloseable {
    private final Prober prober;
    private final Settings settings;
    private final BoundedSelectors<String, HostFleet> byHost;
    private final LoggedOnce closedOrBroken = new LoggedOnce();

    HostFleets(Prober prober, Settings settings, int maxHosts) {
        this.prober = prober;
        this.settings = settings;
        this.byHost = new BoundedSelectors<>(maxHosts);
    }

    /**
     * {@code resolved} in the order {@code host}:{@code port}'s fleet gives (made on its first
     * lookup); as it came after {@link #close()} or when the selector fails.
     */
    List<InetAddress> order(String host, int port, List<InetAddress> resolved, boolean fastFallback) {
        try {
            HostFleet fleet = byHost.get(key(host, port), k -> new HostFleet(port, resolved, prober, settings));
            if (fleet == null) {
                closedOrBroken.warn("used after close()", null);
                return resolved;
            }
            return fleet.order(resolved, fastFallback);
        } catch (RuntimeException e) {
            closedOrBroken.warn("the selector of " + host + ":" + port + " failed", e);
            return resolved;
        }
    }

    /** {@code host}:{@code port}'s fleet if a lookup made one (not counted as a use). */
    HostFleet peek(String host, int port) {
        return byHost.peek(key(host, port));
    }

    int size() {
        return byHost.size();
    }

    Settings settings() {
        return settings;
    }

    private static String key(String host, int port) {
        return host + " " + port; // a space: in no host name, so host:port pairs never collide
    }

    @Override
    public void close() {
        byHost.close();
    }
}

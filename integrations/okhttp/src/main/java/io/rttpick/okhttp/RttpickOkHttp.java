package io.rttpick.okhttp;

import io.rttpick.prober.Prober;
import io.rttpick.selector.FleetSelector;
import io.rttpick.selector.RandomDraw;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import okhttp3.EventListener;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * rttpick in an OkHttp client. {@link #install} returns the client with two things changed: its
 * {@code Dns} hands a host's addresses to OkHttp fastest group first (random within it, the
 * failed last), and its {@code EventListener.Factory} (the app's own, still called) reports each
 * connection's TCP handshake and connect failures to that host's selector. For a service under
 * several host names, {@link #choose} returns the URL of the one to use.
 *
 * <pre>{@code
 * RttpickOkHttp rttpick = RttpickOkHttp.builder(prober).build();
 * OkHttpClient client = rttpick.install(new OkHttpClient.Builder().build());
 * }</pre>
 *
 * <p>One selector per host name, at most {@link Builder#maxHosts} (default 64), the least recently
 * used closed beyond that: OkHttp has no close hook, so {@link #close()} is the app's to call when
 * it drops the client. The prober stays the caller's.
 */
public final class RttpickOkHttp implements AutoCloseable {
    private final HostFleets fleets;
    private final Mirrors mirrors;

    private RttpickOkHttp(Builder b) {
        Settings settings = new Settings(b.port, new HashMap<>(b.ports), b.probeTimeout, b.random, b.customize);
        this.fleets = new HostFleets(b.prober, settings, b.maxHosts);
        this.mirrors = new Mirrors(b.prober, settings, b.maxHosts);
    }

    public static Builder builder(Prober prober) {
        return new Builder(prober);
    }

    /**
     * {@code client} with the ordering {@code Dns} (over its own) and the handshake listener
     * (beside its own). Its proxy settings are read here: hosts reached through a proxy keep the
     * resolver's order and report nothing.
     */
    public OkHttpClient install(OkHttpClient client) {
        EventListener.Factory apps = client.eventListenerFactory();
        return client.newBuilder()
                .dns(new OrderingDns(client.dns(), fleets, client.proxy(), client.proxySelector()))
                .eventListenerFactory(call -> apps.create(call).plus(new HandshakeListener(fleets, System::nanoTime)))
                .build();
    }

    /**
     * The mirror to use now among {@code mirrors} (one service under several host names): probed
     * on the first call for this list, waiting at most the probe timeout; the first mirror when
     * nothing answered. The URL is one of those given, unchanged: no request is rewritten, so
     * TLS checks and cookies stay the chosen host's own.
     */
    public HttpUrl choose(List<HttpUrl> mirrors) {
        return this.mirrors.choose(Objects.requireNonNull(mirrors, "mirrors"));
    }

    /** The app could not use {@code failed}, one of {@code mirrors}: it cools off, and the next {@link #choose} moves on. */
    public void mirrorFailed(List<HttpUrl> mirrors, HttpUrl failed) {
        this.mirrors.failed(mirrors, failed);
    }

    /** How many connection handshakes to {@code host} went to its selector as the app's own measurements. */
    public int handshakesReported(String host) {
        HostFleet fleet = fleets.peek(host);
        return fleet == null ? 0 : fleet.handshakes();
    }

    /** How many host names have a selector now (at most the bound). */
    public int hosts() {
        return fleets.size();
    }

    /** Closes every selector (their probes under way stop); the clients installed keep working, unordered. */
    @Override
    public void close() {
        fleets.close();
        mirrors.close();
    }

    /** The settings; every one has a default. */
    public static final class Builder {
        private final Prober prober;
        private int port = 443;
        private final Map<String, Integer> ports = new HashMap<>();
        private Duration probeTimeout = Duration.ofMillis(500);
        private int maxHosts = 64;
        private RandomDraw random = RandomDraw.secure();
        private UnaryOperator<FleetSelector.Builder> customize = b -> b;

        private Builder(Prober prober) {
            this.prober = Objects.requireNonNull(prober, "prober");
        }

        /** The port probed for a host's addresses (default 443): {@code Dns} is asked for names, not ports. */
        public Builder port(int port) {
            this.port = checkPort(port);
            return this;
        }

        /** The port probed for {@code host}'s addresses, where it is not {@link #port(int)}'s. */
        public Builder port(String host, int port) {
            ports.put(Objects.requireNonNull(host, "host"), checkPort(port));
            return this;
        }

        /** How long a probe waits for an answer, and so the longest a first lookup waits (default 500 ms). */
        public Builder probeTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("probeTimeout must be positive: " + timeout);
            }
            this.probeTimeout = timeout;
            return this;
        }

        /** At most this many host names with a selector (default 64; at least 1). */
        public Builder maxHosts(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxHosts must be at least 1: " + max);
            }
            this.maxHosts = max;
            return this;
        }

        /** The draw among equals, for the selectors and for the order within a group (default a SecureRandom). */
        public Builder random(RandomDraw random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** More selector settings, applied to each host's selector builder last (its clock in tests, its cool-off). */
        public Builder selector(UnaryOperator<FleetSelector.Builder> customize) {
            this.customize = Objects.requireNonNull(customize, "customize");
            return this;
        }

        public RttpickOkHttp build() {
            return new RttpickOkHttp(this);
        }

        private static int checkPort(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1 to 65535: " + port);
            }
            return port;
        }
    }
}

package io.rttpick.okhttp;

import io.rttpick.prober.Prober;
import io.rttpick.selector.FleetSelector;
import io.rttpick.selector.RandomDraw;
import java.net.Proxy;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import okhttp3.Dns;
import okhttp3.EventListener;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import reactor.core.publisher.Mono;

/**
 * rttpick in an OkHttp (5.5 or later) client. {@link #install} returns the client with two things
 * changed: its {@code Dns} hands a host's addresses to OkHttp fastest group first (random within
 * it, the failed last), and its {@code EventListener.Factory} (the app's own, still called)
 * reports each connection's TCP handshake and connect failures to that host's selector. An app
 * composing its own builder takes the two parts as {@link #dns(Dns)} and
 * {@link #eventListenerFactory(EventListener.Factory)}. For a service under several host names,
 * {@link #choose} (or {@link #chooseAsync}) returns the URL of the one to use.
 *
 * <pre>{@code
 * RttpickOkHttp rttpick = RttpickOkHttp.builder(prober).build();
 * OkHttpClient client = rttpick.install(new OkHttpClient.Builder().build());
 * }</pre>
 *
 * <p>One selector per host name and port, at most {@link Builder#maxHosts} (default 64), the least
 * recently used closed beyond that: OkHttp has no close hook, so {@link #close()} is the app's to
 * call when it drops the client; the clients installed then keep working, unordered. Nothing here
 * throws into OkHttp what its own {@code Dns} would not. The prober stays the caller's.
 */
public final class RttpickOkHttp implements AutoCloseable {
    private final HostFleets fleets;
    private final Mirrors mirrors;

    private RttpickOkHttp(Builder b) {
        Settings settings = new Settings(b.port, new HashMap<>(b.ports), b.probeTimeout, b.random, b.customize, b.ticker);
        this.fleets = new HostFleets(b.prober, settings, b.maxHosts);
        this.mirrors = new Mirrors(b.prober, settings, b.maxHosts);
    }

    public static Builder builder(Prober prober) {
        return new Builder(prober);
    }

    /**
     * {@code client} with the ordering {@code Dns} (over its own) and the handshake listener
     * (beside its own). Its proxy settings and fast fallback are read here: hosts reached through a
     * proxy keep the resolver's order and report nothing. Installing twice changes nothing more:
     * a client already installed by this rttpick is returned as it is.
     */
    public OkHttpClient install(OkHttpClient client) {
        boolean dnsOurs = client.dns() instanceof OrderingDns && ((OrderingDns) client.dns()).belongsTo(fleets);
        boolean listenerOurs = client.eventListenerFactory() instanceof RttpickListenerFactory
                && ((RttpickListenerFactory) client.eventListenerFactory()).belongsTo(fleets);
        if (dnsOurs && listenerOurs) {
            return client;
        }
        OkHttpClient.Builder b = client.newBuilder();
        if (!dnsOurs) {
            b.dns(new OrderingDns(client.dns(), fleets, client.proxy(), client.proxySelector(), client.fastFallback()));
        }
        if (!listenerOurs) {
            b.eventListenerFactory(eventListenerFactory(client.eventListenerFactory()));
        }
        return b.build();
    }

    /**
     * The ordering {@code Dns} over {@code delegate}, for an app that builds its client itself
     * (as {@code DnsOverHttps} is used): every host is taken as reached directly, and fast
     * fallback as on (OkHttp's default); a client with a proxy uses {@link #install}. Equal for
     * the same delegate, so clients built with it share pooled connections.
     */
    public Dns dns(Dns delegate) {
        return new OrderingDns(delegate, fleets, Proxy.NO_PROXY, null, true);
    }

    /**
     * The listener factory that reports handshakes and connect failures, beside {@code apps}
     * (the app's own factory, or {@code call -> EventListener.NONE}; its listeners hear every
     * event). Give it to the same client as {@link #dns(Dns)}: it also tells the {@code Dns} the
     * port of plain-HTTP URLs, which OkHttp does not.
     */
    public EventListener.Factory eventListenerFactory(EventListener.Factory apps) {
        return new RttpickListenerFactory(apps, fleets);
    }

    /**
     * The mirror to use now among {@code mirrors} (one service under several host names): probed
     * on the first call for this list, waiting at most the probe timeout; the first mirror when
     * nothing answered. The URL is one of those given, unchanged: no request is rewritten, so
     * TLS checks and cookies stay the chosen host's own. Blocks the calling thread: not on
     * Android's main thread (use {@link #chooseAsync}).
     */
    public HttpUrl choose(List<HttpUrl> mirrors) {
        return this.mirrors.choose(Objects.requireNonNull(mirrors, "mirrors")).block();
    }

    /** {@link #choose} without blocking: the mirror when the choice is made (at most the probe timeout). */
    public Mono<HttpUrl> chooseAsync(List<HttpUrl> mirrors) {
        return this.mirrors.choose(Objects.requireNonNull(mirrors, "mirrors"));
    }

    /** The app could not use {@code failed}, one of {@code mirrors}: it cools off, and the next {@link #choose} moves on. */
    public void mirrorFailed(List<HttpUrl> mirrors, HttpUrl failed) {
        this.mirrors.failed(mirrors, failed);
    }

    /** How many connection handshakes to {@code host} on port {@code port} went to its selector as the app's own measurements. */
    public int handshakesReported(String host, int port) {
        HostFleet fleet = fleets.peek(host, port);
        return fleet == null ? 0 : fleet.handshakes();
    }

    /** {@link #handshakesReported(String, int)} on the builder's port for {@code host} (443 by default). */
    public int handshakesReported(String host) {
        return handshakesReported(host, fleets.settings().port(host));
    }

    /** The servers ({@code ip:port}) of {@code host}:{@code port}'s fleet, least recently answered first; empty without one. */
    List<String> fleetServers(String host, int port) {
        HostFleet fleet = fleets.peek(host, port);
        return fleet == null ? List.of() : fleet.servers();
    }

    /** {@code host}:{@code port}'s selector, if a lookup made one (for tests). */
    FleetSelector selectorOf(String host, int port) {
        HostFleet fleet = fleets.peek(host, port);
        return fleet == null ? null : fleet.selector();
    }

    /** How many host names (with their port) have a selector now (at most the bound). */
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
        private LongSupplier ticker = System::nanoTime;

        private Builder(Prober prober) {
            this.prober = Objects.requireNonNull(prober, "prober");
        }

        /**
         * The port probed for a host's addresses where OkHttp does not say (default 443): a plain
         * {@code Dns.lookup(host)}, as OkHttp before 5.5 asks. OkHttp 5.5 says the port of each
         * connection ({@code Dns.newCall}), and that port is probed.
         */
        public Builder port(int port) {
            this.port = checkPort(port);
            return this;
        }

        /** The port probed for {@code host}'s addresses where OkHttp does not say, if not {@link #port(int)}'s. */
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

        /** The monotonic clock (nanoseconds) that ages addresses absent from the resolver's answers; a fake one in tests. */
        public Builder ticker(LongSupplier nanoTime) {
            this.ticker = Objects.requireNonNull(nanoTime, "nanoTime");
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

package io.rttpick.serve;

import io.rttpick.prober.ProbeOptions;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How {@code serve} runs: where it listens, its fleet, the caps on probing by request, and the
 * limits every connection lives under. Each limit has the option of the same name in
 * {@code rttpick serve} and the default given here.
 */
public final class ServeSettings {
    public static final int DEFAULT_PORT = 8545;

    InetSocketAddress listen = new InetSocketAddress("127.0.0.1", DEFAULT_PORT);
    /** Address to name (the name may be null), in the fleet file's order; empty: no fleet. */
    final Map<String, String> fleet = new LinkedHashMap<>();
    boolean fleetOnly;
    int maxAddressesPerCall = 1_000;
    int maxCallsInFlight = 4;
    int maxScrapesInFlight = 32;
    int maxCallsPerMinute = 60;
    int maxBodyBytes = 1 << 20;
    int maxBatch = 100;
    int maxFleet = 1_000;
    int maxProbesPerMinute = 2_000;
    int maxConnections = 1_024;
    Duration requestDeadline = Duration.ofSeconds(10);
    Duration writeDeadline = Duration.ofSeconds(10);
    Duration idleTimeout = Duration.ofSeconds(30);
    ProbeOptions fleetProbeOptions = ProbeOptions.builder().timeout(Duration.ofSeconds(1)).build();
    Duration fleetMinProbeInterval = Duration.ofSeconds(30);
    /** Null: under $XDG_RUNTIME_DIR, else the temporary directory. */
    Path tokenFile;
    /** Where the fleet selector remembers rankings per network (--remember); null: it does not. */
    Path rememberFile;
    boolean probeAny;
    /** A second listener for /probe and /metrics only; null: none. */
    InetSocketAddress metricsListen;
    final Set<String> allowHosts = new LinkedHashSet<>();
    /** The bearer token the metrics listener requires, as read from --metrics-token-file; null: none. */
    String metricsToken;

    public ServeSettings listen(InetSocketAddress listen) {
        this.listen = Objects.requireNonNull(listen);
        return this;
    }

    /** A fleet member; {@code name} may be null. */
    public ServeSettings server(String address, String name) {
        fleet.put(Objects.requireNonNull(address), name);
        return this;
    }

    /** The fleet is the one given at start: no server added or removed, nothing else probed. */
    public ServeSettings fleetOnly(boolean fleetOnly) {
        this.fleetOnly = fleetOnly;
        return this;
    }

    /** {@code --max-addresses}: addresses in one ping call (default 1,000). */
    public ServeSettings maxAddressesPerCall(int n) {
        this.maxAddressesPerCall = positive("max addresses per call", n);
        return this;
    }

    /** {@code --max-calls-in-flight}: ping calls probing at once (default 4). */
    public ServeSettings maxCallsInFlight(int n) {
        this.maxCallsInFlight = positive("max calls in flight", n);
        return this;
    }

    /**
     * {@code --max-scrapes-in-flight}: {@code /probe} scrapes probing at once (default 32: a
     * Prometheus scraping 500 targets every 15 s, spread over the interval, keeps under 10).
     */
    public ServeSettings maxScrapesInFlight(int n) {
        this.maxScrapesInFlight = positive("max scrapes in flight", n);
        return this;
    }

    /** {@code --max-calls-per-minute}: ping calls in a minute (default 60). */
    public ServeSettings maxCallsPerMinute(int n) {
        this.maxCallsPerMinute = positive("max calls per minute", n);
        return this;
    }

    /** {@code --max-body-bytes}: a larger request body is HTTP 413 (default 1 MiB). */
    public ServeSettings maxBodyBytes(int n) {
        this.maxBodyBytes = positive("max body bytes", n);
        return this;
    }

    /** {@code --max-batch}: calls in one JSON-RPC batch (default 100). */
    public ServeSettings maxBatch(int n) {
        this.maxBatch = positive("max batch", n);
        return this;
    }

    /** {@code --max-fleet}: servers in the fleet, added ones included (default 1,000). */
    public ServeSettings maxFleet(int n) {
        this.maxFleet = positive("max fleet", n);
        return this;
    }

    /** {@code --max-probes-per-minute}: attempts (addresses x samples) of every method together (default 2,000). */
    public ServeSettings maxProbesPerMinute(int n) {
        this.maxProbesPerMinute = positive("max probes per minute", n);
        return this;
    }

    /** {@code --max-connections}: open connections; a new one over it is closed at once (default 1,024). */
    public ServeSettings maxConnections(int n) {
        this.maxConnections = positive("max connections", n);
        return this;
    }

    /** {@code --request-deadline-ms}: from a request's first byte to its last (default 10 s). */
    public ServeSettings requestDeadline(Duration d) {
        this.requestDeadline = positive("request deadline", d);
        return this;
    }

    /** {@code --write-deadline-ms}: for an answer to be taken by the client (default 10 s). */
    public ServeSettings writeDeadline(Duration d) {
        this.writeDeadline = positive("write deadline", d);
        return this;
    }

    /** {@code --idle-timeout-s}: a connection with no request under way (default 30 s). */
    public ServeSettings idleTimeout(Duration d) {
        this.idleTimeout = positive("idle timeout", d);
        return this;
    }

    public ServeSettings fleetProbeOptions(ProbeOptions options) {
        this.fleetProbeOptions = Objects.requireNonNull(options);
        return this;
    }

    /** The fleet selector's rate limit (default 30 s). */
    public ServeSettings fleetMinProbeInterval(Duration d) {
        this.fleetMinProbeInterval = Objects.requireNonNull(d);
        return this;
    }

    /** {@code --token-file}: where the token for the methods that change state is written (mode 0600). */
    /** The fleet selector remembers rankings per network in {@code file} (with the default probe budget). */
    public ServeSettings remember(Path file) {
        this.rememberFile = file;
        return this;
    }

    /** Whether the fleet selector remembers rankings (--remember). */
    public boolean remembers() {
        return rememberFile != null;
    }

    public ServeSettings tokenFile(Path file) {
        this.tokenFile = Objects.requireNonNull(file);
        return this;
    }

    /** {@code --probe-any}: /probe probes any target, not only the fleet's. */
    public ServeSettings probeAny(boolean any) {
        this.probeAny = any;
        return this;
    }

    /** {@code --metrics-listen}: a second listener serving only /probe and /metrics (for scrapes from other machines). */
    public ServeSettings metricsListen(InetSocketAddress address) {
        this.metricsListen = Objects.requireNonNull(address);
        return this;
    }

    /** {@code --allow-host}: a host name the metrics listener answers to (IP literals and localhost always). */
    public ServeSettings allowHost(String name) {
        this.allowHosts.add(Objects.requireNonNull(name));
        return this;
    }

    /** {@code --metrics-token-file}'s content: the metrics listener answers only with {@code Authorization: Bearer} it. */
    public ServeSettings metricsToken(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the metrics token is empty");
        }
        this.metricsToken = token.strip();
        return this;
    }

    public Optional<InetSocketAddress> metricsListenAddress() {
        return Optional.ofNullable(metricsListen);
    }

    public boolean hasMetricsToken() {
        return metricsToken != null;
    }

    public InetSocketAddress listenAddress() {
        return listen;
    }

    public int fleetSize() {
        return fleet.size();
    }

    public boolean hasFleet() {
        return !fleet.isEmpty();
    }

    private static int positive(String what, int n) {
        if (n < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, got " + n);
        }
        return n;
    }

    private static Duration positive(String what, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + d);
        }
        return d;
    }
}

package io.rttpick.examples.serve;

import io.rttpick.prober.ProbeOptions;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** How {@code serve} runs: where it listens, its fleet, and the caps on probing by request. */
public final class ServeSettings {
    public static final int DEFAULT_PORT = 8545;

    InetSocketAddress listen = new InetSocketAddress("127.0.0.1", DEFAULT_PORT);
    /** Address to name (the name may be null), in the fleet file's order; empty: no fleet. */
    final Map<String, String> fleet = new LinkedHashMap<>();
    boolean fleetOnly;
    int maxAddressesPerCall = 1_000;
    int maxCallsInFlight = 4;
    int maxCallsPerMinute = 60;
    int maxBodyBytes = 1 << 20;
    ProbeOptions fleetProbeOptions = ProbeOptions.builder().timeout(Duration.ofSeconds(1)).build();
    Duration fleetMinProbeInterval = Duration.ofSeconds(30);

    public ServeSettings listen(InetSocketAddress listen) {
        this.listen = Objects.requireNonNull(listen);
        return this;
    }

    public ServeSettings server(String address, String name) {
        fleet.put(address, name);
        return this;
    }

    public ServeSettings fleetOnly(boolean fleetOnly) {
        this.fleetOnly = fleetOnly;
        return this;
    }

    public ServeSettings maxAddressesPerCall(int n) {
        this.maxAddressesPerCall = positive("max addresses per call", n);
        return this;
    }

    public ServeSettings maxCallsInFlight(int n) {
        this.maxCallsInFlight = positive("max calls in flight", n);
        return this;
    }

    public ServeSettings maxCallsPerMinute(int n) {
        this.maxCallsPerMinute = positive("max calls per minute", n);
        return this;
    }

    public ServeSettings maxBodyBytes(int n) {
        this.maxBodyBytes = positive("max body bytes", n);
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
}

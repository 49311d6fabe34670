package io.rttpick.serve;

import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.selector.FleetSelector;
import io.rttpick.selector.store.FileRankingStore;
import io.rttpick.selector.store.InstallSecret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@code rttpick serve}, assembled: the JSON-RPC methods over the prober (metered, under one
 * probe budget) and the fleet selector, behind the HTTP front end. Closing it stops the server
 * and the selector and removes the token file, not the prober (the caller's).
 */
public final class RttpickService implements AutoCloseable {
    /** Longest a call may take before it is answered -32603: past the longest probe a call can ask for. */
    private static final Duration MAX_CALL_TIME = Duration.ofMillis(PingService.MAX_TIMEOUT_MS).plusSeconds(60);

    private final HttpFrontEnd http;
    /** The --metrics-listen listener, or null. */
    private final HttpFrontEnd metricsHttp;
    private final FleetSelector selector;
    private final ServeToken token;
    private final List<JsonRpcEndpoint.Method> methods;

    private RttpickService(HttpFrontEnd http, HttpFrontEnd metricsHttp, FleetSelector selector, ServeToken token,
            List<JsonRpcEndpoint.Method> methods) {
        this.http = http;
        this.metricsHttp = metricsHttp;
        this.selector = selector;
        this.token = token;
        this.methods = List.copyOf(methods);
    }

    /** The method table this service answers from. */
    List<JsonRpcEndpoint.Method> methods() {
        return methods;
    }

    public static RttpickService start(ServeSettings settings, Prober prober) throws IOException {
        return start(settings, prober, List.of());
    }

    /** As {@link #start(ServeSettings, Prober)}, with more methods (tests add ones that misbehave on purpose). */
    static RttpickService start(ServeSettings settings, Prober prober, List<JsonRpcEndpoint.Method> more) throws IOException {
        ServeMetrics metrics = new ServeMetrics();
        Prober metered = new MeteredProber(prober, metrics);
        ProbeBudget budget = new ProbeBudget(settings.maxProbesPerMinute, System::nanoTime);
        FleetSelector selector = null;
        FleetService fleet = null;
        if (settings.hasFleet()) {
            if (settings.fleet.size() > settings.maxFleet) {
                throw new IllegalArgumentException("the fleet has " + settings.fleet.size() + " servers; the cap is "
                        + settings.maxFleet + " (serve --max-fleet)");
            }
            FleetSelector.Builder b = FleetSelector.builder(metered, new ArrayList<>(settings.fleet.keySet()))
                    .probeOptions(settings.fleetProbeOptions).minProbeInterval(settings.fleetMinProbeInterval)
                    .maxServers(settings.maxFleet).probePermit(budget::tryTake);
            byte[] networkSecret;
            if (settings.rememberFile != null) {
                b.remember(FileRankingStore.at(settings.rememberFile));
                // ids are remembered: keyed with a secret kept beside the file, made once
                networkSecret = networkSecret(settings.rememberFile);
            } else {
                networkSecret = new byte[32]; // nothing is stored: a secret for this process only
                new SecureRandom().nextBytes(networkSecret);
            }
            selector = b.build();
            fleet = new FleetService(selector, prober.name(), settings.fleet, metrics::chose, settings.maxFleet, settings.fleetOnly,
                    networkSecret);
        }
        FleetService f = fleet;
        PingLimits limits = new PingLimits(settings.maxAddressesPerCall, settings.maxCallsInFlight,
                settings.maxCallsPerMinute, System::nanoTime);
        // --fleet-only: the fleet given at start, whatever was called since; compared as servers, however spelled
        Set<String> startFleet = settings.fleet.keySet().stream().map(FleetService::key).collect(Collectors.toSet());
        PingService ping = new PingService(metered, ProbeOptions.defaults(), limits, budget,
                settings.fleetOnly ? a -> startFleet.contains(FleetService.key(a)) : null,
                address -> f == null ? null : f.name(address));
        List<JsonRpcEndpoint.Method> table = new ArrayList<>(methods(fleet, ping));
        table.addAll(more);
        // /probe: the fleet's addresses only (the one given at start under --fleet-only), unless --probe-any
        FleetSelector s = selector;
        Supplier<List<String>> probeable = settings.probeAny ? null
                : settings.fleetOnly || s == null ? () -> List.copyOf(settings.fleet.keySet()) : s::servers;
        ProbeEndpoint probe = new ProbeEndpoint(metered, settings.maxScrapesInFlight, budget, probeable, ProbeOptions.DEFAULT_TIMEOUT,
                Duration.ofMillis(PingService.MAX_TIMEOUT_MS));
        ServeToken token = ServeToken.random();
        HttpFrontEnd http = null;
        HttpFrontEnd metricsHttp = null;
        try {
            JsonRpcEndpoint endpoint = new JsonRpcEndpoint(table, metrics::rpc, settings.maxBatch, MAX_CALL_TIME);
            http = new HttpFrontEnd(settings, new HttpFrontEnd.Listener(settings.listen, true, Set.of(), null), endpoint,
                    metrics, probe, token);
            http.start();
            if (settings.metricsListen != null) {
                metricsHttp = new HttpFrontEnd(settings, new HttpFrontEnd.Listener(settings.metricsListen, false,
                        Set.copyOf(settings.allowHosts), settings.metricsToken), endpoint, metrics, probe, token);
                metricsHttp.start();
            }
            token.writeTo(settings.tokenFile, http.port());
            return new RttpickService(http, metricsHttp, selector, token, table);
        } catch (IOException | RuntimeException e) {
            if (metricsHttp != null) {
                metricsHttp.close();
            }
            if (http != null) {
                http.close();
            }
            token.close();
            if (selector != null) {
                selector.close();
            }
            throw e;
        }
    }

    /** Every method serve answers, declared once: the fleet's (answered "no fleet" without one) and the pings. */
    static List<JsonRpcEndpoint.Method> methods(FleetService fleet, PingService ping) {
        List<JsonRpcEndpoint.Method> table = new ArrayList<>(FleetService.methods(fleet));
        table.addAll(ping.methods());
        return table;
    }

    public InetSocketAddress address() {
        return http.address();
    }

    public int port() {
        return http.port();
    }

    /** The token the methods that change state need; the page's URL carries it. */
    public String token() {
        return token.value();
    }

    public Path tokenFile() {
        return token.file();
    }

    /** The page's address with the token, as notebook servers print theirs. */
    public String pageUrl() {
        return ServeUrls.of(address()) + "?token=" + token.value();
    }

    int openConnections() {
        return http.openConnections();
    }

    /** The --metrics-listen listener's address, if there is one. */
    public Optional<InetSocketAddress> metricsAddress() {
        return Optional.ofNullable(metricsHttp).map(HttpFrontEnd::address);
    }

    /** The install secret beside {@code rankings}; where it can be neither read nor made, one for this process (the store says why). */
    private static byte[] networkSecret(Path rankings) {
        try {
            return InstallSecret.at(networkSecretFile(rankings));
        } catch (UncheckedIOException e) {
            byte[] once = new byte[32];
            new SecureRandom().nextBytes(once);
            return once;
        }
    }

    /** The install secret that keys network ids, beside the rankings file {@code rankings} (0600, made once). */
    public static Path networkSecretFile(Path rankings) {
        return rankings.resolveSibling(rankings.getFileName() + ".secret");
    }

    @Override
    public void close() {
        if (metricsHttp != null) {
            metricsHttp.close();
        }
        http.close();
        if (selector != null) {
            selector.close();
        }
        token.close();
    }
}

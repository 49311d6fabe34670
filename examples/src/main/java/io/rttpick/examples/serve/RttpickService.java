package io.rttpick.examples.serve;

import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.selector.FleetSelector;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code rttpick serve}, assembled: the JSON-RPC methods over the prober (metered) and the fleet
 * selector, behind the HTTP front end. Closing it stops the server and the selector, not the
 * prober (the caller's).
 */
public final class RttpickService implements AutoCloseable {
    private final HttpFrontEnd http;
    private final FleetSelector selector;

    private RttpickService(HttpFrontEnd http, FleetSelector selector) {
        this.http = http;
        this.selector = selector;
    }

    public static RttpickService start(ServeSettings settings, Prober prober) throws IOException {
        ServeMetrics metrics = new ServeMetrics();
        Prober metered = new MeteredProber(prober, metrics);
        Map<String, RpcMethod> methods = new HashMap<>();
        FleetSelector selector = null;
        FleetService fleet = null;
        if (settings.hasFleet()) {
            selector = FleetSelector.builder(metered, new ArrayList<>(settings.fleet.keySet()))
                    .probeOptions(settings.fleetProbeOptions).minProbeInterval(settings.fleetMinProbeInterval).build();
            ProbeOptions o = settings.fleetProbeOptions;
            Duration wait = o.timeout().multipliedBy(o.samplesPerEndpoint() + 1L).plusSeconds(30);
            fleet = new FleetService(selector, prober.name(), settings.fleet, wait, metrics::chose);
            FleetService f = fleet;
            methods.put("rttpick_select", f::select);
            methods.put("rttpick_refresh", f::refresh);
            methods.put("rttpick_openServerList", f::openServerList);
            methods.put("rttpick_pin", f::pin);
            methods.put("rttpick_unpin", f::unpin);
            methods.put("rttpick_reportFailure", f::reportFailure);
            methods.put("rttpick_addServer", f::addServer);
            methods.put("rttpick_removeServer", f::removeServer);
        } else {
            for (String name : new String[] {"rttpick_select", "rttpick_refresh", "rttpick_openServerList", "rttpick_pin",
                    "rttpick_unpin", "rttpick_reportFailure", "rttpick_addServer", "rttpick_removeServer"}) {
                methods.put(name, params -> {
                    throw new RpcException(RpcException.NO_FLEET, name + ": no fleet is configured (start serve with --fleet FILE)");
                });
            }
        }
        FleetService f = fleet;
        PingLimits limits = new PingLimits(settings.maxAddressesPerCall, settings.maxCallsInFlight,
                settings.maxCallsPerMinute, System::nanoTime);
        PingService ping = new PingService(metered, ProbeOptions.defaults(), limits,
                settings.fleetOnly && f != null ? f::contains : null,
                address -> f == null ? null : f.name(address));
        methods.put("mailservers_ping", ping::mailserversPing);
        methods.put("rttpick_ping", ping::rttpickPing);

        HttpFrontEnd http = new HttpFrontEnd(settings.listen, new JsonRpcEndpoint(methods, metrics::rpc),
                metrics::scrape, settings.maxBodyBytes, Math.max(8, settings.maxCallsInFlight + 4));
        http.start();
        return new RttpickService(http, selector);
    }

    public InetSocketAddress address() {
        return http.address();
    }

    public int port() {
        return http.port();
    }

    @Override
    public void close() {
        http.close();
        if (selector != null) {
            selector.close();
        }
    }
}

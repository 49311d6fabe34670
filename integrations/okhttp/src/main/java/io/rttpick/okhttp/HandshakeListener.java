package io.rttpick.okhttp;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.HttpUrl;
import okhttp3.Protocol;

/**
 * One call's listener: each direct connection's TCP handshake, from {@code connectStart} to
 * {@code secureConnectStart} (TLS) or {@code connectEnd} (plain), goes to the host's selector as
 * the app's own measurement; a connect that failed on the network cools its server off. Through a
 * proxy nothing is reported: those handshakes are the proxy's. With OkHttp 5's fast fallback two
 * connects can be under way at once; {@code secureConnectStart} does not say whose it is, so a TLS
 * handshake is reported only when one connect was under way. Each connect is counted for the host
 * and port of the route being connected (a redirect's own host), not the first request's.
 */
final class HandshakeListener extends EventListener {
    private final HostFleets fleets;
    private final LongSupplier nanoTime;
    /** Connects under way, by address: when each started, for which host. Connects may run on other threads. */
    private final Map<InetSocketAddress, Start> started = new HashMap<>();
    /** The URL of the route OkHttp plans now ({@code proxySelectStart}): after a redirect, not the call's request. */
    private volatile HttpUrl route;

    private static final class Start {
        final long nanos;
        final String host;

        Start(long nanos, String host) {
            this.nanos = nanos;
            this.host = host;
        }
    }

    HandshakeListener(HostFleets fleets, LongSupplier nanoTime) {
        this.fleets = fleets;
        this.nanoTime = nanoTime;
    }

    @Override
    public void proxySelectStart(Call call, HttpUrl url) {
        route = url;
    }

    @Override
    public void dnsStart(Call call, String domainName) {
        HttpUrl url = routeUrl(call);
        if (url.host().equals(domainName)) {
            RouteHints.resolving(domainName, url.port()); // the Dns, next on this thread, probes this port
        }
    }

    @Override
    public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
        if (proxy.type() == Proxy.Type.DIRECT) {
            Start start = new Start(nanoTime.getAsLong(), routeUrl(call).host());
            synchronized (started) {
                started.put(address, start);
            }
        }
    }

    private HttpUrl routeUrl(Call call) {
        HttpUrl url = route;
        return url != null ? url : call.request().url();
    }

    @Override
    public void secureConnectStart(Call call) {
        long now = nanoTime.getAsLong();
        InetSocketAddress only = null;
        Start from = null;
        synchronized (started) {
            if (started.size() == 1) {
                Map.Entry<InetSocketAddress, Start> e = started.entrySet().iterator().next();
                only = e.getKey();
                from = e.getValue();
            }
            started.clear(); // one TLS handshake per call's connection: the others are not ours to time
        }
        if (only != null) {
            report(from, only, now);
        }
    }

    @Override
    public void connectEnd(Call call, InetSocketAddress address, Proxy proxy, Protocol protocol) {
        long now = nanoTime.getAsLong();
        Start from;
        synchronized (started) {
            from = started.remove(address); // null after TLS: secureConnectStart reported it
        }
        if (from != null) {
            report(from, address, now);
        }
    }

    @Override
    public void connectFailed(Call call, InetSocketAddress address, Proxy proxy, Protocol protocol, IOException e) {
        Start start;
        synchronized (started) {
            start = started.remove(address);
        }
        // a race's loser closed by fast fallback, or a cancelled call, is not the server's failure
        if (proxy.type() == Proxy.Type.DIRECT && !call.isCanceled() && isNetworkFailure(e)) {
            HostFleet fleet = fleets.peek(start != null ? start.host : routeUrl(call).host(), address.getPort());
            if (fleet != null) {
                fleet.failed(address);
            }
        }
    }

    private void report(Start from, InetSocketAddress address, long now) {
        HostFleet fleet = fleets.peek(from.host, address.getPort());
        long nanos = now - from.nanos;
        if (fleet != null && nanos > 0) {
            fleet.handshake(address, Duration.ofNanos(nanos));
        }
    }

    static boolean isNetworkFailure(IOException e) {
        return e instanceof ConnectException || e instanceof NoRouteToHostException || e instanceof SocketTimeoutException
                || e instanceof PortUnreachableException;
    }
}

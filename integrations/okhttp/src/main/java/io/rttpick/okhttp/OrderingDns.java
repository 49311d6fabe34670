package io.rttpick.okhttp;

import java.net.InetAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import okhttp3.Dns;

/**
 * The app's own {@link Dns}, its answer reordered by the selector of the host and port asked for.
 * A host reached through a proxy keeps the resolver's order: its connections are the proxy's, not
 * the host's. It never throws what the delegate would not: closed, or with a selector that
 * fails, it answers the delegate's list as it came. Equal for the same rttpick, delegate, proxy
 * settings and fast fallback, as OkHttp's connection pool needs ({@code Address} compares the
 * {@code Dns}): two clients installed alike share pooled connections.
 */
final class OrderingDns implements Dns {
    private final Dns delegate;
    private final HostFleets fleets;
    private final Proxy proxy;
    private final ProxySelector proxySelector;
    private final boolean fastFallback;

    OrderingDns(Dns delegate, HostFleets fleets, Proxy proxy, ProxySelector proxySelector, boolean fastFallback) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.fleets = fleets;
        this.proxy = proxy;
        this.proxySelector = proxySelector;
        this.fastFallback = fastFallback;
    }

    /** OkHttp before 5.5, and direct callers: no port is given, so the builder's port for the host is probed. */
    @Override
    public List<InetAddress> lookup(String hostname) throws UnknownHostException {
        return order(hostname, fleets.settings().port(hostname), delegate.lookup(hostname));
    }

    /**
     * OkHttp 5.5 and later: the delegate's own call (DNS over HTTPS, its service records), its IP
     * address records reordered for the port of the URL being connected to, every other record
     * passed through.
     */
    @Override
    public Dns.Call newCall(Dns.Request request) {
        int hinted = RouteHints.take(request.hostname());
        int port = hinted > 0 ? hinted : request.port();
        return new OrderedDnsCall(request, delegate.newCall(request), this, port);
    }

    /** {@code resolved} for {@code host}:{@code port}, in its fleet's order (as it came where it has none). */
    List<InetAddress> order(String host, int port, List<InetAddress> resolved) {
        if (resolved == null || resolved.size() < 2 || proxied(host)) {
            return resolved;
        }
        return fleets.order(host, port, resolved, fastFallback);
    }

    boolean belongsTo(HostFleets fleets) {
        return this.fleets == fleets;
    }

    /** Whether OkHttp reaches {@code host} through a proxy: the client's own, or its selector's first. */
    private boolean proxied(String host) {
        if (proxy != null) {
            return proxy.type() != Proxy.Type.DIRECT;
        }
        if (proxySelector == null) {
            return false;
        }
        try {
            List<Proxy> proxies = proxySelector.select(URI.create("https://" + host + "/"));
            return proxies != null && !proxies.isEmpty() && proxies.get(0).type() != Proxy.Type.DIRECT;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof OrderingDns)) {
            return false;
        }
        OrderingDns other = (OrderingDns) o;
        return fleets == other.fleets && delegate.equals(other.delegate) && Objects.equals(proxy, other.proxy)
                && Objects.equals(proxySelector, other.proxySelector) && fastFallback == other.fastFallback;
    }

    @Override
    public int hashCode() {
        return Objects.hash(System.identityHashCode(fleets), delegate, proxy, proxySelector, fastFallback);
    }

    @Override
    public String toString() {
        return "rttpick(" + delegate + ")";
    }
}

package io.rttpick.okhttp;

import java.net.InetAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import okhttp3.Dns;

/**
 * The app's own {@link Dns}, its answer reordered by the host's selector. A host reached through
 * a proxy keeps the resolver's order: its connections are the proxy's, not the host's.
 */
final class OrderingDns implements Dns {
    private final Dns delegate;
    private final HostFleets fleets;
    private final Proxy proxy;
    private final ProxySelector proxySelector;

    OrderingDns(Dns delegate, HostFleets fleets, Proxy proxy, ProxySelector proxySelector) {
        this.delegate = delegate;
        this.fleets = fleets;
        this.proxy = proxy;
        this.proxySelector = proxySelector;
    }

    @Override
    public List<InetAddress> lookup(String hostname) throws UnknownHostException {
        List<InetAddress> resolved = delegate.lookup(hostname);
        if (resolved.size() < 2 || proxied(hostname)) {
            return resolved;
        }
        return fleets.get(hostname, resolved).order(resolved);
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
}

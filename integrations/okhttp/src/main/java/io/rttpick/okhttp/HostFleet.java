package io.rttpick.okhttp;

import io.rttpick.prober.Prober;
import io.rttpick.prober.SocketAddresses;
import io.rttpick.selector.FleetSelector;
import io.rttpick.selector.FleetSelector.Observed;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** One host name's addresses as a fleet: its selector, and the order its addresses are handed to OkHttp. */
final class HostFleet implements AutoCloseable {
    private final int port;
    private final FleetSelector selector;
    private final Settings settings;
    /** The addresses the selector knows, by their server name ({@code ip:port}); guarded by this. */
    private final Map<String, InetAddress> known = new LinkedHashMap<>();
    private final AtomicInteger handshakes = new AtomicInteger();

    HostFleet(int port, List<InetAddress> addresses, Prober prober, Settings settings) {
        this.port = port;
        this.settings = settings;
        for (InetAddress a : addresses) {
            known.put(server(a), a);
        }
        this.selector = settings.selector(prober, new ArrayList<>(known.keySet()));
    }

    /** The resolved addresses, reordered: the choice first, its group next, the failed last. */
    List<InetAddress> order(List<InetAddress> resolved) {
        Map<String, InetAddress> now = new LinkedHashMap<>();
        for (InetAddress a : resolved) {
            now.put(server(a), a);
        }
        synchronized (this) {
            sync(now);
        }
        // no choice within the wait: the ranking as it is, or the resolver's order
        String chosen = settings.awaitChoice(selector);
        List<InetAddress> out = new ArrayList<>(now.size());
        for (String server : AddressOrder.of(new ArrayList<>(now.keySet()), chosen, selector.lastRanking().orElse(null),
                selector::isUsable, settings.random())) {
            out.add(now.get(server));
        }
        return out;
    }

    /** The selector follows the resolver: servers gone are removed, new ones added. */
    private void sync(Map<String, InetAddress> now) {
        for (String gone : new ArrayList<>(known.keySet())) {
            if (!now.containsKey(gone)) {
                known.remove(gone);
                selector.removeServer(gone);
            }
        }
        for (Map.Entry<String, InetAddress> e : now.entrySet()) {
            if (known.put(e.getKey(), e.getValue()) == null) {
                selector.addServer(e.getKey());
            }
        }
    }

    /** A connection's own TCP handshake to {@code address}. */
    void handshake(InetSocketAddress address, Duration rtt) {
        String server = server(address.getAddress());
        if (address.getPort() == port && selector.contains(server)) {
            selector.observe(server, rtt, Observed.HANDSHAKE);
            handshakes.incrementAndGet();
        }
    }

    /** How many handshakes went to the selector. */
    int handshakes() {
        return handshakes.get();
    }

    /** A connection to {@code address} failed: it cools off, and goes last. */
    void failed(InetSocketAddress address) {
        String server = server(address.getAddress());
        if (address.getPort() == port && selector.contains(server)) {
            selector.reportFailure(server);
        }
    }

    FleetSelector selector() {
        return selector;
    }

    private String server(InetAddress address) {
        return SocketAddresses.format(new InetSocketAddress(address, port));
    }

    @Override
    public void close() {
        selector.close();
    }
}

package io.rttpick.okhttp;

import io.rttpick.prober.Prober;
import io.rttpick.prober.SocketAddresses;
import io.rttpick.selector.Bucket;
import io.rttpick.selector.FleetSelector;
import io.rttpick.selector.FleetSelector.Observed;
import io.rttpick.selector.RankedEndpoint;
import io.rttpick.selector.Ranking;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.Disposable;

/**
 * One host name and port as a fleet: its selector, and the order its addresses are handed to
 * OkHttp. The fleet is the union of the resolver's recent answers, so that a CDN or multivalue
 * records answering a different subset each time keep their rankings and cool-offs: an address
 * leaves once absent from every answer for {@link #ABSENT_WINDOW}, and at most
 * {@link #MAX_ADDRESSES} are kept (the least recently answered leave first). Only the current
 * answer's addresses are handed back.
 */
final class HostFleet implements AutoCloseable {
    /** How long an address absent from the resolver's answers stays in the fleet. */
    static final Duration ABSENT_WINDOW = Duration.ofMinutes(10);
    /** At most this many addresses per host name and port. */
    static final int MAX_ADDRESSES = 32;

    private final int port;
    private final FleetSelector selector;
    private final Settings settings;
    /** The fleet's servers ({@code ip:port}) and when an answer last named each; guarded by this. */
    private final Map<String, Long> lastAnswered = new LinkedHashMap<>();
    private final AtomicInteger handshakes = new AtomicInteger();
    /** Whether a lookup has waited for the first choice: a call thread waits once per host, never again. */
    private final AtomicBoolean waitedOnce = new AtomicBoolean();
    /** The selector's latest choice, followed without blocking. */
    private volatile String latestChoice;
    private final Disposable following;

    HostFleet(int port, List<InetAddress> addresses, Prober prober, Settings settings) {
        this.port = port;
        this.settings = settings;
        long now = settings.nanoTime();
        for (InetAddress a : addresses) {
            if (lastAnswered.size() < MAX_ADDRESSES) {
                lastAnswered.put(server(a), now);
            }
        }
        this.selector = settings.selector(prober, new ArrayList<>(lastAnswered.keySet()));
        this.following = selector.changes().subscribe(c -> latestChoice = c.server().orElse(null), e -> { });
    }

    /**
     * The resolved addresses, reordered: the choice first, its group next, the failed last. With
     * fast fallback on and an IPv4 choice, IPv6 addresses that are silent or cooling off are left
     * out: fast fallback starts with IPv6 and would try them before the choice.
     */
    List<InetAddress> order(List<InetAddress> resolved, boolean fastFallback) {
        Map<String, InetAddress> now = new LinkedHashMap<>();
        for (InetAddress a : resolved) {
            now.put(server(a), a);
        }
        synchronized (this) {
            follow(now.keySet(), settings.nanoTime());
        }
        // the first lookup waits for the early decision (at most the probe timeout); the others take what is known
        String chosen = waitedOnce.compareAndSet(false, true) ? settings.awaitChoice(selector) : latestChoice;
        if (chosen != null && !selector.isUsable(chosen)) {
            chosen = null; // a failure reported since: the next group leads
        }
        Ranking ranking = selector.lastRanking().orElse(null);
        boolean dropSilentV6 = fastFallback && chosen != null && now.get(chosen) instanceof Inet4Address;
        Map<String, Bucket> buckets = dropSilentV6 ? buckets(ranking) : Map.of();
        List<InetAddress> out = new ArrayList<>(now.size());
        for (String server : AddressOrder.of(new ArrayList<>(now.keySet()), chosen, ranking, selector::isUsable, settings.random())) {
            InetAddress a = now.get(server);
            if (dropSilentV6 && a instanceof Inet6Address && (!selector.isUsable(server) || buckets.get(server) == Bucket.NONE)) {
                continue;
            }
            out.add(a);
        }
        return out;
    }

    private static Map<String, Bucket> buckets(Ranking ranking) {
        Map<String, Bucket> out = new LinkedHashMap<>();
        if (ranking != null) {
            for (RankedEndpoint e : ranking.entries()) {
                out.put(e.address(), e.bucket());
            }
        }
        return out;
    }

    /** The fleet follows the answers: new addresses join, those unanswered for the window (or beyond the bound) leave. */
    private void follow(Iterable<String> answer, long nowNanos) {
        for (String server : answer) {
            if (lastAnswered.remove(server) == null) {
                selector.addServer(server);
            }
            lastAnswered.put(server, nowNanos); // the map stays ordered by the last answer naming each
        }
        long window = ABSENT_WINDOW.toNanos();
        for (Iterator<Map.Entry<String, Long>> it = lastAnswered.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> e = it.next();
            if (lastAnswered.size() > MAX_ADDRESSES || nowNanos - e.getValue() > window) {
                it.remove();
                selector.removeServer(e.getKey());
            }
        }
    }

    /** The servers in the fleet now, least recently answered first (for tests). */
    synchronized List<String> servers() {
        return new ArrayList<>(lastAnswered.keySet());
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
        following.dispose();
        selector.close();
    }
}

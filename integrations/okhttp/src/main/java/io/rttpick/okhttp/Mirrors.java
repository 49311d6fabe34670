package io.rttpick.okhttp;

import io.rttpick.prober.Prober;
import io.rttpick.selector.FleetChoice;
import io.rttpick.selector.FleetSelector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import okhttp3.HttpUrl;
import reactor.core.publisher.Mono;

/**
 * Several host names for one service (mirrors, regions): a selector over their {@code host:port}
 * per list of them, bounded as the hosts' are. The prober resolves the names. Closed, or with a
 * selector that fails, the first mirror is the answer, as the app would have used.
 */
final class Mirrors implements AutoCloseable {
    private final Prober prober;
    private final Settings settings;
    private final BoundedSelectors<List<String>, FleetSelector> byList;
    private final LoggedOnce closedOrBroken = new LoggedOnce();

    Mirrors(Prober prober, Settings settings, int max) {
        this.prober = prober;
        this.settings = settings;
        this.byList = new BoundedSelectors<>(max);
    }

    /** The mirror to use, when the selector has chosen (at most the probe timeout); nothing blocks. */
    Mono<HttpUrl> choose(List<HttpUrl> mirrors) {
        Map<String, HttpUrl> byServer = byServer(mirrors);
        HttpUrl first = mirrors.get(0);
        FleetSelector selector;
        try {
            selector = byList.get(new ArrayList<>(byServer.keySet()), servers -> settings.selector(prober, servers));
        } catch (RuntimeException e) {
            closedOrBroken.warn("the mirrors' selector could not be made", e);
            return Mono.just(first);
        }
        if (selector == null) {
            closedOrBroken.warn("used after close()", null);
            return Mono.just(first);
        }
        return selector.current()
                .timeout(settings.probeTimeout())
                .map(FleetChoice::server)
                .map(server -> server.map(byServer::get).orElse(first))
                .onErrorResume(TimeoutException.class, late -> Mono.just(first)) // nothing within the wait: the first
                .onErrorResume(e -> {
                    closedOrBroken.warn("the mirrors' selector failed", e);
                    return Mono.just(first);
                })
                .defaultIfEmpty(first);
    }

    void failed(List<HttpUrl> mirrors, HttpUrl failed) {
        Map<String, HttpUrl> byServer = byServer(mirrors);
        FleetSelector selector = byList.peek(new ArrayList<>(byServer.keySet()));
        if (selector != null) {
            selector.reportFailure(server(failed));
        }
    }

    /** The mirrors by {@code host:port}, the first URL of each kept. */
    private static Map<String, HttpUrl> byServer(List<HttpUrl> mirrors) {
        if (mirrors.isEmpty()) {
            throw new IllegalArgumentException("no mirror to choose from");
        }
        Map<String, HttpUrl> out = new LinkedHashMap<>();
        for (HttpUrl url : mirrors) {
            out.putIfAbsent(server(url), url);
        }
        return out;
    }

    private static String server(HttpUrl url) {
        String host = url.host();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + url.port();
    }

    @Override
    public void close() {
        byList.close();
    }
}

package io.rttpick.okhttp;

import io.rttpick.prober.Prober;
import io.rttpick.selector.FleetSelector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;

/**
 * Several host names for one service (mirrors, regions): a selector over their {@code host:port}
 * per list of them, bounded as the hosts' are. The prober resolves the names.
 */
final class Mirrors implements AutoCloseable {
    private final Prober prober;
    private final Settings settings;
    private final BoundedSelectors<List<String>, FleetSelector> byList;

    Mirrors(Prober prober, Settings settings, int max) {
        this.prober = prober;
        this.settings = settings;
        this.byList = new BoundedSelectors<>(max);
    }

    HttpUrl choose(List<HttpUrl> mirrors) {
        Map<String, HttpUrl> byServer = byServer(mirrors);
        FleetSelector selector = byList.get(new ArrayList<>(byServer.keySet()), servers -> settings.selector(prober, servers));
        String chosen = settings.awaitChoice(selector);
        // nothing within the wait: the first mirror, as the app would have used
        return chosen != null ? byServer.get(chosen) : mirrors.get(0);
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

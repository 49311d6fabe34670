package io.rttpick.selector;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** One network's remembered ranking: each server by its key, when the network was last used, and its last full probe. */
public final class RememberedNetwork {
    private final long lastUsedMillis;
    private final long lastFullProbeMillis;
    private final Map<String, RememberedServer> servers;

    /**
     * @param lastUsedMillis when the app was last on this network
     * @param lastFullProbeMillis when every server was last probed on it; 0 for never
     * @param servers by server key ({@code host:port}, as {@link io.rttpick.prober.Endpoint#key()} spells it)
     */
    public RememberedNetwork(long lastUsedMillis, long lastFullProbeMillis, Map<String, RememberedServer> servers) {
        this.lastUsedMillis = lastUsedMillis;
        this.lastFullProbeMillis = lastFullProbeMillis;
        this.servers = Collections.unmodifiableMap(new LinkedHashMap<>(servers));
    }

    public long lastUsedMillis() {
        return lastUsedMillis;
    }

    public long lastFullProbeMillis() {
        return lastFullProbeMillis;
    }

    public Map<String, RememberedServer> servers() {
        return servers;
    }
}

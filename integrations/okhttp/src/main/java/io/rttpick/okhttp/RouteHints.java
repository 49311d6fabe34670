package io.rttpick.okhttp;

/**
 * The port of the URL OkHttp is about to resolve, passed from the listener's {@code dnsStart} to
 * the {@code Dns} on the same thread. OkHttp 5.5 asks {@code Dns.newCall(Request(host, port))}
 * with -1 for plain HTTP's port 80, and {@code Dns.Request} turns -1 into 443: without this hint a
 * plain-HTTP host would be probed on 443.
 */
final class RouteHints {
    private static final ThreadLocal<RouteHints> CURRENT = new ThreadLocal<>();

    private final String host;
    private final int port;

    private RouteHints(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** OkHttp is about to resolve {@code host} for a connection to {@code port}, on this thread. */
    static void resolving(String host, int port) {
        CURRENT.set(new RouteHints(host, port));
    }

    /** The port said for {@code host} on this thread, taken (said once, used once); -1 when none. */
    static int take(String host) {
        RouteHints hint = CURRENT.get();
        if (hint == null) {
            return -1;
        }
        CURRENT.remove();
        return hint.host.equals(host) ? hint.port : -1;
    }
}

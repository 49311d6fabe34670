package io.rttpick.serve;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keeps web pages the user happens to visit from using a service that probes on request.
 * DNS rebinding reaches us under the attacker's host name: so {@code Host} must be an IP literal
 * or {@code localhost}, on our port. A cross-site request carries another {@code Origin}: so an
 * Origin, when sent, must be this service's own.
 */
final class RequestGuard {
    private final int port;
    /** Host names answered to besides IP literals and localhost (serve --allow-host), lower case. */
    private final Set<String> names;

    RequestGuard(int port) {
        this(port, Set.of());
    }

    RequestGuard(int port, Set<String> names) {
        this.port = port;
        this.names = names.stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /** Why the request is refused, or empty when it may go on. */
    Optional<String> refuse(String host, String origin, String fetchSite) {
        if (host == null || host.isBlank()) {
            return Optional.of("no Host header");
        }
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (!allowedHost(h)) {
            return Optional.of("Host '" + host + "' is not this service (an IP address or localhost" + (names.isEmpty() ? "" : " or "
                    + String.join(", ", names)) + ", port " + port + ")");
        }
        if (origin != null) {
            String o = origin.strip().toLowerCase(Locale.ROOT);
            if (!o.equals("http://" + h)) {
                return Optional.of("Origin '" + origin + "' is not this service's own (http://" + h + ")");
            }
        }
        if (fetchSite != null && fetchSite.strip().equalsIgnoreCase("cross-site")) {
            return Optional.of("a cross-site request (Sec-Fetch-Site: cross-site)");
        }
        return Optional.empty();
    }

    private boolean allowedHost(String h) {
        String name;
        String portText;
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            if (close < 0 || !h.startsWith(":", close + 1)) {
                return false;
            }
            name = h.substring(1, close);
            portText = h.substring(close + 2);
            if (!name.matches("[0-9a-f:.]+")) {
                return false;
            }
        } else {
            int colon = h.lastIndexOf(':');
            if (colon < 0) {
                return false; // a browser always sends the port of a non-80 service
            }
            name = h.substring(0, colon);
            portText = h.substring(colon + 1);
            if (!name.equals("localhost") && !names.contains(name) && !name.matches("(\\d{1,3}\\.){3}\\d{1,3}")) {
                return false;
            }
        }
        return portText.equals(Integer.toString(port));
    }
}

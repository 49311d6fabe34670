package io.rttpick.prober;

import java.net.InetAddress;
import java.util.Locale;
import java.util.regex.Pattern;

/** The grammar behind {@link Endpoint#parse(String)}; every rejection names the input. */
final class EndpointParser {
    static final String INVALID_PORT = "invalid port";

    private static final String ENODE_PREFIX = "enode://";
    private static final Pattern NODE_KEY = Pattern.compile("[0-9a-fA-F]{128}");
    // libp2p peer ids: base58btc multihashes (Qm..., 12D3Koo...) or base32 CIDv1 (b...).
    private static final Pattern PEER_ID = Pattern.compile(
            "[1-9A-HJ-NP-Za-km-z]{32,128}|b[a-z2-7]{32,128}");
    private static final String MULTIADDR_SHAPE =
            "expected /ip4|/ip6|/dns|/dns4|/dns6/<host>/tcp/<port>, optionally followed by /p2p/<peer id>";

    private EndpointParser() {
    }

    /** String.strip (white space as Character.isWhitespace has it), which Android API 26 lacks. */
    static String strip(String text) {
        int from = 0;
        int to = text.length();
        while (from < to && Character.isWhitespace(text.charAt(from))) {
            from++;
        }
        while (to > from && Character.isWhitespace(text.charAt(to - 1))) {
            to--;
        }
        return text.substring(from, to);
    }

    static Endpoint parse(String input) {
        if (input == null) {
            throw new InvalidEndpointException(null, "address is missing");
        }
        String s = strip(input);
        if (s.isEmpty()) {
            throw new InvalidEndpointException(input, "empty address");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new InvalidEndpointException(input, "contains whitespace or control characters");
            }
        }
        if (s.regionMatches(true, 0, ENODE_PREFIX, 0, ENODE_PREFIX.length())) {
            return enode(input, s.substring(ENODE_PREFIX.length()));
        }
        if (s.startsWith("/")) {
            return multiaddr(input, s);
        }
        HostPort hp = hostPort(input, s);
        return new Endpoint(input, Endpoint.Format.HOST_PORT, hp.host, hp.literal, hp.port,
                AddressFamily.ANY, null, null);
    }

    private static Endpoint enode(String input, String rest) {
        int at = rest.indexOf('@');
        if (at < 0) {
            throw new InvalidEndpointException(input, "enode URL needs <node id>@<host>:<port>");
        }
        String key = rest.substring(0, at);
        if (!NODE_KEY.matcher(key).matches()) {
            throw new InvalidEndpointException(input, "invalid enode node id: expected 128 hex characters");
        }
        String hostPart = rest.substring(at + 1);
        Integer discport = null;
        int q = hostPart.indexOf('?');
        if (q >= 0) {
            String query = hostPart.substring(q + 1);
            hostPart = hostPart.substring(0, q);
            if (!query.startsWith("discport=")) {
                throw new InvalidEndpointException(input, "unsupported enode query '" + query + "': only discport=N");
            }
            // 0 is what geth prints for a node without discovery
            String d = query.substring("discport=".length());
            discport = d.equals("0") ? 0 : port(input, d, "invalid discport");
        }
        HostPort hp = hostPort(input, hostPart);
        return new Endpoint(input, Endpoint.Format.ENODE, hp.host, hp.literal, hp.port,
                AddressFamily.ANY, key.toLowerCase(Locale.ROOT), discport);
    }

    private static Endpoint multiaddr(String input, String s) {
        String[] parts = s.substring(1).split("/", -1);
        if (parts.length != 4 && parts.length != 6) {
            throw new InvalidEndpointException(input, MULTIADDR_SHAPE);
        }
        String proto = parts[0];
        String hostText = parts[1];
        if (!parts[2].equals("tcp")) {
            throw new InvalidEndpointException(input, "only /tcp/ multiaddrs can be probed: " + MULTIADDR_SHAPE);
        }
        int port = port(input, parts[3], INVALID_PORT);
        String peerId = null;
        if (parts.length == 6) {
            if (!parts[4].equals("p2p") && !parts[4].equals("ipfs")) {
                throw new InvalidEndpointException(input, MULTIADDR_SHAPE);
            }
            peerId = parts[5];
            if (!PEER_ID.matcher(peerId).matches()) {
                throw new InvalidEndpointException(input, "invalid peer id '" + peerId + "'");
            }
        }
        InetAddress literal = null;
        AddressFamily family;
        switch (proto) {
            case "ip4":
                literal = HostSyntax.looksLikeIpv4(hostText) ? HostSyntax.ipv4(hostText) : null;
                if (literal == null) {
                    throw new InvalidEndpointException(input, "invalid IPv4 address '" + hostText + "'");
                }
                family = AddressFamily.IPV4;
                break;
            case "ip6":
                literal = HostSyntax.ipv6(hostText);
                if (literal == null) {
                    throw new InvalidEndpointException(input, "invalid IPv6 address '" + hostText + "'");
                }
                family = AddressFamily.IPV6;
                break;
            case "dns":
            case "dns4":
            case "dns6":
                if (!HostSyntax.isHostName(hostText)) {
                    throw new InvalidEndpointException(input, "invalid host name '" + hostText + "'");
                }
                family = proto.equals("dns4") ? AddressFamily.IPV4
                        : proto.equals("dns6") ? AddressFamily.IPV6 : AddressFamily.ANY;
                break;
            default:
                throw new InvalidEndpointException(input, "unsupported multiaddr protocol '" + proto + "': " + MULTIADDR_SHAPE);
        }
        return new Endpoint(input, Endpoint.Format.MULTIADDR, hostText, literal, port, family, peerId, null);
    }

    private static final class HostPort {
        final String host;
        final InetAddress literal;
        final int port;

        HostPort(String host, InetAddress literal, int port) {
            this.host = host;
            this.literal = literal;
            this.port = port;
        }
    }

    private static HostPort hostPort(String input, String s) {
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new InvalidEndpointException(input, "missing ']' after IPv6 address");
            }
            String v6 = s.substring(1, close);
            if (v6.indexOf('%') >= 0) {
                throw new InvalidEndpointException(input, "IPv6 zone ids are not supported");
            }
            InetAddress literal = HostSyntax.ipv6(v6);
            if (literal == null) {
                throw new InvalidEndpointException(input, "invalid IPv6 address '" + v6 + "'");
            }
            String after = s.substring(close + 1);
            if (after.isEmpty()) {
                throw new InvalidEndpointException(input, "missing port");
            }
            if (after.charAt(0) != ':') {
                throw new InvalidEndpointException(input, "expected ':' and a port after ']'");
            }
            return new HostPort(v6, literal, port(input, after.substring(1), INVALID_PORT));
        }
        int colon = s.lastIndexOf(':');
        if (colon < 0) {
            throw new InvalidEndpointException(input, "missing port");
        }
        if (s.indexOf(':') != colon) {
            throw new InvalidEndpointException(input, "an IPv6 address must be in brackets: [address]:port");
        }
        String host = s.substring(0, colon);
        int port = port(input, s.substring(colon + 1), INVALID_PORT);
        if (host.isEmpty()) {
            throw new InvalidEndpointException(input, "missing host");
        }
        if (HostSyntax.looksLikeIpv4(host)) {
            InetAddress literal = HostSyntax.ipv4(host);
            if (literal == null) {
                throw new InvalidEndpointException(input, "invalid IPv4 address '" + host + "'");
            }
            return new HostPort(host, literal, port);
        }
        if (!HostSyntax.isHostName(host)) {
            throw new InvalidEndpointException(input, "invalid host name '" + host + "'");
        }
        return new HostPort(host, null, port);
    }

    /** 1..65535 in plain decimal; anything else is rejected with {@code reason}. */
    private static int port(String input, String text, String reason) {
        if (text.isEmpty() || text.length() > 5) {
            throw new InvalidEndpointException(input, reason);
        }
        int v = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new InvalidEndpointException(input, reason);
            }
            v = v * 10 + (c - '0');
        }
        if (v < 1 || v > 65535) {
            throw new InvalidEndpointException(input, reason);
        }
        return v;
    }
}

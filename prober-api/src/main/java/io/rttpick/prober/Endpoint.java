package io.rttpick.prober;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A server address as a user wrote it, parsed: {@code host:port}, {@code [v6]:port}, an Ethereum
 * {@code enode://} URL or a multiaddr such as {@code /dns4/example.org/tcp/443/p2p/12D3...}.
 * Parsing never resolves a name; see {@link Resolver}.
 */
public final class Endpoint {

    /** Which notation the address was written in. */
    public enum Format { HOST_PORT, ENODE, MULTIADDR }

    private final String input;
    private final Format format;
    private final String host;
    private final InetAddress literal;
    private final int port;
    private final AddressFamily requiredFamily;
    private final String nodeId;
    private final Integer discoveryPort;

    Endpoint(String input, Format format, String host, InetAddress literal, int port,
             AddressFamily requiredFamily, String nodeId, Integer discoveryPort) {
        this.input = input;
        this.format = format;
        this.host = host;
        this.literal = literal;
        this.port = port;
        this.requiredFamily = requiredFamily;
        this.nodeId = nodeId;
        this.discoveryPort = discoveryPort;
    }

    /**
     * Parses one address.
     *
     * @throws InvalidEndpointException naming the input and what is wrong with it
     */
    public static Endpoint parse(String input) {
        return EndpointParser.parse(input);
    }

    /** The address exactly as given. */
    public String input() {
        return input;
    }

    public Format format() {
        return format;
    }

    /** The host part: a DNS name, or an IP literal without brackets. */
    public String host() {
        return host;
    }

    /** The TCP port to probe. */
    public int port() {
        return port;
    }

    /** The address itself when the host is an IP literal: nothing to resolve. */
    public Optional<InetAddress> literalAddress() {
        return Optional.ofNullable(literal);
    }

    /** A family the notation itself demands ({@code /ip4}, {@code /dns6}, ...), else {@link AddressFamily#ANY}. */
    public AddressFamily requiredFamily() {
        return requiredFamily;
    }

    /**
     * The server this address names, however it was written: an IP literal in canonical form
     * ({@code [2001:DB8::1]:993} and {@code [2001:db8:0::1]:993} are one server), a host name in
     * lower case without a trailing dot, and the port; an enode URL or a multiaddr names the server
     * at its host and TCP port. Two addresses with equal keys are one server to the fleet selector
     * and to {@code rttpick serve}.
     */
    public String key() {
        String h = literal != null ? literal.getHostAddress()
                : host.toLowerCase(Locale.ROOT).endsWith(".") ? host.toLowerCase(Locale.ROOT).substring(0, host.length() - 1)
                : host.toLowerCase(Locale.ROOT);
        return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + port;
    }

    /** The enode public key (128 hex) or the multiaddr {@code /p2p/} peer id, if given. */
    public Optional<String> nodeId() {
        return Optional.ofNullable(nodeId);
    }

    /** An enode URL's {@code ?discport=} (UDP discovery; never probed). */
    public OptionalInt discoveryPort() {
        return discoveryPort == null ? OptionalInt.empty() : OptionalInt.of(discoveryPort);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Endpoint && ((Endpoint) o).input.equals(input);
    }

    @Override
    public int hashCode() {
        return Objects.hash(input);
    }

    @Override
    public String toString() {
        return input;
    }
}

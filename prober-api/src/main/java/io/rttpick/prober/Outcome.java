package io.rttpick.prober;

/** How one probe attempt ended. Only {@link #OK} carries an RTT. */
public enum Outcome {
    /** The server answered the SYN with a SYN-ACK. */
    OK,
    /** Nothing came back before the attempt's deadline. */
    TIMEOUT,
    /** The server (or something on the way) answered with RST or ICMP port unreachable. */
    REFUSED,
    /** No route: ICMP host/network unreachable, or the local stack has no route. */
    UNREACHABLE,
    /** The address could not be parsed; no packet was sent. */
    INVALID,
    /** The host name did not resolve (to an address of the wanted family). */
    RESOLVE_FAILED,
    /** The local system forbade the connect (a firewall rule, a sandbox permission). */
    PERMISSION_DENIED,
    /** Anything else; the sample's error text says what. */
    ERROR
}

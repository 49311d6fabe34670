package io.rttpick.prober;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a host name into addresses. Probers call it off their event loop and never count its
 * time in an RTT. Tests inject a fake one so that no DNS query leaves the machine.
 */
@FunctionalInterface
public interface Resolver {

    /** @return the addresses in the resolver's preference order, never empty */
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /**
     * The operating system's resolver, through {@link InetAddress#getAllByName(String)}, but for the
     * special-use names RFC 6761 asks a library to answer itself, without a query: a {@code .invalid}
     * name fails (an {@link UnknownHostException} naming the rule), and {@code localhost} and
     * {@code *.localhost} are 127.0.0.1 and ::1, IPv4 first unless {@code java.net.preferIPv6Addresses}
     * is true. A resolver an app supplies is its own business.
     */
    static Resolver system() {
        return host -> {
            List<InetAddress> special = SpecialUseNames.answer(host);
            return special != null ? special : List.of(InetAddress.getAllByName(host));
        };
    }
}

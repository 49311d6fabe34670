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

    /** The operating system's resolver, through {@link InetAddress#getAllByName(String)}. */
    static Resolver system() {
        return host -> List.of(InetAddress.getAllByName(host));
    }
}

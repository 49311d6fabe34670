package io.rttpick.prober;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Names that RFC 6761 asks name-resolution libraries to answer themselves, without a query:
 * {@code .invalid} names never exist (section 6.4), and {@code localhost} and its subdomains are
 * the loopback addresses (section 6.3; the "let localhost be localhost" draft makes it firm). A
 * typo in an app's fleet list then does not leak to the network's resolver.
 */
final class SpecialUseNames {
    private SpecialUseNames() {
    }

    /** The answer for {@code host} when it is special-use; null when the system's resolver must be asked. */
    static List<InetAddress> answer(String host) throws UnknownHostException {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.equals("invalid") || name.endsWith(".invalid")) {
            throw new UnknownHostException("'.invalid' names never resolve (RFC 6761 section 6.4): answered without a DNS query");
        }
        if (name.equals("localhost") || name.endsWith(".localhost")) {
            InetAddress v4 = InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1});
            InetAddress v6 = InetAddress.getByAddress(host, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
            // the system's order, as the JDK gives it for any name: IPv4 first unless java.net.preferIPv6Addresses=true
            return "true".equalsIgnoreCase(System.getProperty("java.net.preferIPv6Addresses")) ? List.of(v6, v4) : List.of(v4, v6);
        }
        return null;
    }
}

package io.rttpick.serve;

import io.rttpick.prober.SocketAddresses;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** The URLs serve prints: valid to paste into a browser, whatever address it listens on. */
public final class ServeUrls {
    private ServeUrls() {
    }

    /**
     * {@code http://HOST:PORT/}: an IPv6 address in brackets and in its short form; a wildcard
     * (0.0.0.0, ::) as the loopback address of its family, which reaches it from this machine.
     */
    public static String of(InetSocketAddress at) {
        InetAddress a = at.getAddress();
        InetAddress shown = !a.isAnyLocalAddress() ? a : a instanceof Inet6Address ? ipv6Loopback() : loopback4();
        return "http://" + SocketAddresses.format(new InetSocketAddress(shown, at.getPort())) + "/";
    }

    private static InetAddress ipv6Loopback() {
        return literal(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
    }

    private static InetAddress loopback4() {
        return literal(new byte[] {127, 0, 0, 1});
    }

    private static InetAddress literal(byte[] address) {
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}

package io.rttpick.prober.darwin;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import jnr.ffi.Pointer;

/**
 * {@code sockaddr_in} and {@code sockaddr_in6} as the BSDs lay them out: a length byte first,
 * then a one-byte family (Linux has a two-byte family and no length). sockaddr_in: len 16,
 * family, port (network order) at 2, address at 4, zero at 8..15. sockaddr_in6: len 28,
 * family, port at 2, flowinfo at 4, address at 8..23, scope id at 24.
 */
final class BsdSockAddr {
    static final int MAX_SIZE = 28;
    static final int IN_SIZE = 16;
    static final int IN6_SIZE = 28;

    private BsdSockAddr() {
    }

    static int family(InetAddress address) {
        return address instanceof Inet6Address ? DarwinConstants.AF_INET6 : DarwinConstants.AF_INET;
    }

    /** Fills {@code buffer}; returns the length to pass to connect or bind. */
    static int write(Pointer buffer, InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        int size = ip instanceof Inet4Address ? IN_SIZE : IN6_SIZE;
        for (int i = 0; i < size; i++) {
            buffer.putByte(i, (byte) 0);
        }
        buffer.putByte(0, (byte) size);
        buffer.putByte(1, (byte) family(ip));
        buffer.putByte(2, (byte) (address.getPort() >>> 8));
        buffer.putByte(3, (byte) address.getPort());
        byte[] bytes = ip.getAddress();
        if (ip instanceof Inet4Address) {
            buffer.put(4, bytes, 0, 4);
        } else {
            buffer.put(8, bytes, 0, 16);
            buffer.putInt(24, ((Inet6Address) ip).getScopeId());
        }
        return size;
    }
}

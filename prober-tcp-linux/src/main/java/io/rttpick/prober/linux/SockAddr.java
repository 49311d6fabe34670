package io.rttpick.prober.linux;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import jnr.ffi.Pointer;

/**
 * Writes {@code sockaddr_in} (16 bytes) and {@code sockaddr_in6} (28 bytes) as Linux lays them
 * out: the family in host byte order, the port and address in network byte order.
 */
final class SockAddr {
    static final int MAX_SIZE = 28;
    private static final int IN_SIZE = 16;
    private static final int IN6_SIZE = 28;

    private SockAddr() {
    }

    static int family(InetAddress address) {
        return address instanceof Inet6Address ? LinuxConstants.AF_INET6 : LinuxConstants.AF_INET;
    }

    /** Fills {@code buffer}; returns the length to pass to connect or bind. */
    static int write(Pointer buffer, InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        byte[] bytes = ip.getAddress();
        int port = address.getPort();
        int size = ip instanceof Inet4Address ? IN_SIZE : IN6_SIZE;
        for (int i = 0; i < size; i++) {
            buffer.putByte(i, (byte) 0);
        }
        buffer.putShort(0, (short) family(ip));
        buffer.putByte(2, (byte) (port >>> 8));
        buffer.putByte(3, (byte) port);
        if (ip instanceof Inet4Address) {
            buffer.put(4, bytes, 0, 4);
        } else {
            // sin6_flowinfo (4..7) stays 0; the address at 8..23; sin6_scope_id at 24
            buffer.put(8, bytes, 0, 16);
            buffer.putInt(24, ((Inet6Address) ip).getScopeId());
        }
        return size;
    }
}

package io.rttpick.prober.unix;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import jnr.ffi.Pointer;

/**
 * {@code sockaddr_in} (16 bytes) and {@code sockaddr_in6} (28 bytes) in the two layouts: Linux's
 * two-byte family in host order, and the BSDs' length byte then one-byte family. The rest is the
 * same: the port (network order) at 2; IPv4's address at 4; IPv6's flowinfo at 4, address at
 * 8..23, scope id at 24.
 */
public final class SockAddr {
    public static final int MAX_SIZE = 28;
    static final int IN_SIZE = 16;
    static final int IN6_SIZE = 28;

    private SockAddr() {
    }

    /** How the family is written. */
    public enum Layout {
        LINUX {
            @Override
            void putFamily(Pointer buffer, int size, int family) {
                buffer.putShort(0, (short) family);
            }

            @Override
            int family(Pointer buffer, long at) {
                return buffer.getShort(at) & 0xffff;
            }
        },
        BSD {
            @Override
            void putFamily(Pointer buffer, int size, int family) {
                buffer.putByte(0, (byte) size);
                buffer.putByte(1, (byte) family);
            }

            @Override
            int family(Pointer buffer, long at) {
                return buffer.getByte(at + 1) & 0xff;
            }
        };

        abstract void putFamily(Pointer buffer, int size, int family);

        abstract int family(Pointer buffer, long at);

        /** Fills {@code buffer} for {@code system}; returns the length to pass to connect or bind. */
        public int write(Pointer buffer, InetSocketAddress address, UnixSystem system) {
            InetAddress ip = address.getAddress();
            int size = ip instanceof Inet4Address ? IN_SIZE : IN6_SIZE;
            for (int i = 0; i < size; i++) {
                buffer.putByte(i, (byte) 0);
            }
            putFamily(buffer, size, system.family(ip));
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

        /** The address of the sockaddr at {@code at} (no further than {@code end}), or null when it is neither family or cut short. */
        public InetAddress read(Pointer buffer, long at, long end, UnixSystem system) {
            try {
                int family = family(buffer, at);
                if (family == system.afInet && at + 8 <= end) {
                    byte[] a = new byte[4];
                    buffer.get(at + 4, a, 0, 4);
                    return InetAddress.getByAddress(a);
                }
                if (family == system.afInet6 && at + 24 <= end) {
                    byte[] a = new byte[16];
                    buffer.get(at + 8, a, 0, 16);
                    return InetAddress.getByAddress(a);
                }
            } catch (UnknownHostException e) {
                // a wrong length: no address then
            }
            return null;
        }
    }

    /** Fills {@code buffer} as this system lays a sockaddr out; returns its length. */
    public static int write(Pointer buffer, InetSocketAddress address) {
        UnixSystem system = Native.system();
        return system.sockaddrLayout().write(buffer, address, system);
    }
}

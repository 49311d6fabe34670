package io.rttpick.prober.unix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.junit.jupiter.api.Test;

/** sockaddr_in / sockaddr_in6 as Linux lays them out (the BSD layout: the darwin module's StructLayoutTest), read back. */
class SockAddrTest {
    private static Pointer memory(int size) {
        return Runtime.getSystemRuntime().getMemoryManager().allocateDirect(size, true);
    }

    private static byte[] bytes(Pointer p, int length) {
        byte[] b = new byte[length];
        p.get(0, b, 0, length);
        return b;
    }

    @Test
    void ipv4HasTheFamilyInHostOrderThenPortAndAddressInNetworkOrder() throws Exception {
        Pointer p = memory(SockAddr.MAX_SIZE);
        p.putLong(8, -1L); // left over from an earlier address: must be zeroed
        int length = SockAddr.Layout.LINUX.write(p, new InetSocketAddress(InetAddress.getByName("127.0.0.9"), 993), UnixSystem.LINUX);
        assertEquals(16, length);
        assertArrayEquals(new byte[] {2, 0, 0x03, (byte) 0xe1, 127, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0}, bytes(p, 16));
        assertEquals(InetAddress.getByName("127.0.0.9"), SockAddr.Layout.LINUX.read(p, 0, 16, UnixSystem.LINUX));
    }

    @Test
    void ipv6CarriesItsAddressAtEightAndItsScopeAtTwentyFour() throws Exception {
        Pointer p = memory(SockAddr.MAX_SIZE);
        int length = SockAddr.Layout.LINUX.write(p, new InetSocketAddress(InetAddress.getByName("::1"), 443), UnixSystem.LINUX);
        assertEquals(28, length);
        assertEquals(UnixSystem.LINUX.afInet6, p.getShort(0) & 0xffff);
        assertEquals(443, (p.getByte(2) & 0xff) << 8 | p.getByte(3) & 0xff);
        assertEquals(1, p.getByte(23));
        assertEquals(InetAddress.getByName("::1"), SockAddr.Layout.LINUX.read(p, 0, 28, UnixSystem.LINUX));
        assertNull(SockAddr.Layout.LINUX.read(p, 0, 20, UnixSystem.LINUX), "cut short: no address");
    }

    @Test
    void eachSystemHasItsOwnNumbersAndNames() {
        assertEquals(UnixSystem.LINUX, UnixSystem.of("Linux"));
        assertEquals(UnixSystem.DARWIN, UnixSystem.of("Mac OS X"));
        assertNull(UnixSystem.of("Windows 11"));
        assertEquals(10, UnixSystem.LINUX.afInet6);
        assertEquals(30, UnixSystem.DARWIN.afInet6);
        assertEquals("ECONNREFUSED", UnixSystem.LINUX.errnoName(111));
        assertEquals("ECONNREFUSED", UnixSystem.DARWIN.errnoName(61));
        assertEquals("errno 100000", UnixSystem.LINUX.errnoName(100_000));
        assertEquals(0xffff, UnixSystem.DARWIN.solSocket);
    }
}

package io.rttpick.prober.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.rttpick.prober.unix.LinuxSocketConstants;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.junit.jupiter.api.Test;

/** The error queue's control message, laid out by hand as the kernel writes it (LP64 Linux). */
class IcmpErrorQueueTest {

    private static Pointer message(int level, int type, int origin, int icmpType, int icmpCode, byte[] sockaddr) {
        Pointer p = Runtime.getSystemRuntime().getMemoryManager().allocateDirect(IcmpErrorQueue.CONTROL_SIZE, true);
        long length = 16 + 16 + sockaddr.length;
        p.putLong(0, length);          // cmsg_len
        p.putInt(8, level);            // cmsg_level
        p.putInt(12, type);            // cmsg_type
        p.putInt(16, LinuxConstants.ECONNREFUSED); // ee_errno
        p.putByte(20, (byte) origin);  // ee_origin
        p.putByte(21, (byte) icmpType);
        p.putByte(22, (byte) icmpCode);
        p.put(32, sockaddr, 0, sockaddr.length); // SO_EE_OFFENDER
        return p;
    }

    private static byte[] sockaddrIn(int a, int b, int c, int d) {
        return new byte[] {2, 0, 0, 0, (byte) a, (byte) b, (byte) c, (byte) d, 0, 0, 0, 0, 0, 0, 0, 0};
    }

    @Test
    void anIcmpPortUnreachableWithItsSender() {
        Pointer p = message(LinuxSocketConstants.SOL_IP, LinuxSocketConstants.IP_RECVERR, LinuxConstants.SO_EE_ORIGIN_ICMP, 3, 3,
                sockaddrIn(198, 18, 10, 5));
        IcmpErrorQueue.Report r = IcmpErrorQueue.parse(p, 48);
        assertEquals("ICMP type 3 code 3 port unreachable from 198.18.10.5", r.toString());
    }

    @Test
    void anIcmpv6AddressUnreachable() {
        byte[] sin6 = new byte[28];
        sin6[0] = 10; // AF_INET6, little-endian short
        sin6[8] = 0x20;
        sin6[9] = 0x01;
        sin6[10] = 0x0d;
        sin6[11] = (byte) 0xb8;
        sin6[23] = 6;
        Pointer p = message(LinuxSocketConstants.SOL_IPV6, LinuxSocketConstants.IPV6_RECVERR, LinuxConstants.SO_EE_ORIGIN_ICMP6, 1, 3, sin6);
        assertEquals("ICMPv6 type 1 code 3 address unreachable from 2001:db8::6", IcmpErrorQueue.parse(p, 60).toString());
    }

    @Test
    void otherOriginsAndMalformedMessagesAreNoIcmpReport() {
        Pointer local = message(LinuxSocketConstants.SOL_IP, LinuxSocketConstants.IP_RECVERR, 1 /* SO_EE_ORIGIN_LOCAL */, 0, 0,
                sockaddrIn(0, 0, 0, 0));
        assertNull(IcmpErrorQueue.parse(local, 48));
        Pointer other = message(LinuxSocketConstants.SOL_SOCKET, 99, LinuxConstants.SO_EE_ORIGIN_ICMP, 3, 3, sockaddrIn(1, 2, 3, 4));
        assertNull(IcmpErrorQueue.parse(other, 48));
        Pointer truncated = message(LinuxSocketConstants.SOL_IP, LinuxSocketConstants.IP_RECVERR, LinuxConstants.SO_EE_ORIGIN_ICMP, 3, 3,
                sockaddrIn(1, 2, 3, 4));
        assertNull(IcmpErrorQueue.parse(truncated, 40), "cmsg_len beyond what the kernel wrote");
    }
}

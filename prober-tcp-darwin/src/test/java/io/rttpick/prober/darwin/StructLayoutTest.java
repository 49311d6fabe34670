package io.rttpick.prober.darwin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rttpick.prober.unix.SockAddr;
import io.rttpick.prober.unix.UnixSystem;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The structs as Darwin's ABI lays them out on arm64 and x86_64 (both LP64, little-endian, the
 * same layout), byte by byte. The expected bytes are written out from the headers, field by field.
 */
class StructLayoutTest {
    private static Pointer memory(int size) {
        Pointer p = Memory.allocateDirect(Runtime.getSystemRuntime(), size);
        for (int i = 0; i < size; i++) {
            p.putByte(i, (byte) 0x5a); // garbage, to see what is written
        }
        return p;
    }

    private static byte[] bytes(Pointer p, int size) {
        byte[] out = new byte[size];
        p.get(0, out, 0, size);
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"aarch64", "x86_64"})
    void keventIs32BytesIdentFilterFlagsFflagsDataUdata(String arch) {
        KEventLayout.checkSupported(arch);
        KEvent e = new KEvent().set(0x0102030405060708L, (short) -2, 0x8011, 0x01000000);
        e.data = 0x1112131415161718L;
        e.udata = 0x2122232425262728L;
        Pointer p = memory(2 * KEventLayout.SIZE);
        KEventLayout.DARWIN_64.write(p, 1, e);
        byte[] second = new byte[32];
        p.get(32, second, 0, 32);
        assertArrayEquals(new byte[] {
            0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01,   // ident (uintptr_t)
            (byte) 0xfe, (byte) 0xff,                         // filter (int16) = EVFILT_WRITE
            0x11, (byte) 0x80,                                // flags (uint16) = EV_EOF | EV_ONESHOT | EV_ADD
            0x00, 0x00, 0x00, 0x01,                           // fflags (uint32) = NOTE_TRIGGER
            0x18, 0x17, 0x16, 0x15, 0x14, 0x13, 0x12, 0x11,   // data (intptr_t)
            0x28, 0x27, 0x26, 0x25, 0x24, 0x23, 0x22, 0x21},  // udata (void *)
                second);
        assertEquals(0x5a, p.getByte(0) & 0xff, "the first slot is untouched");
        KEvent back = new KEvent();
        KEventLayout.DARWIN_64.read(p, 1, back);
        assertEquals(e.toString(), back.toString());
        assertEquals(0x8011, back.flags, "flags read unsigned");
    }

    @Test
    void thirtyTwoBitCpusAreRefused() {
        assertThrows(io.rttpick.prober.ProberUnavailableException.class, () -> KEventLayout.checkSupported("i386"));
        assertThrows(io.rttpick.prober.ProberUnavailableException.class, () -> KEventLayout.checkSupported("arm"));
    }

    @Test
    void sockaddrInHasALengthByteThenAOneByteFamily() throws Exception {
        Pointer p = memory(SockAddr.MAX_SIZE);
        int length = SockAddr.Layout.BSD.write(p, new InetSocketAddress(InetAddress.getByName("198.18.0.29"), 993), UnixSystem.DARWIN);
        assertEquals(16, length);
        assertArrayEquals(new byte[] {
            16, 2,                              // sin_len, sin_family = AF_INET
            0x03, (byte) 0xe1,                  // sin_port 993, network order
            (byte) 198, 18, 0, 29,              // sin_addr
            0, 0, 0, 0, 0, 0, 0, 0},            // sin_zero
                bytes(p, 16));
    }

    @Test
    void sockaddrIn6IsTwentyEightBytes() throws Exception {
        Pointer p = memory(SockAddr.MAX_SIZE);
        int length = SockAddr.Layout.BSD.write(p, new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 443), UnixSystem.DARWIN);
        assertEquals(28, length);
        assertArrayEquals(new byte[] {
            28, 30,                             // sin6_len, sin6_family = AF_INET6 (30 on Darwin)
            0x01, (byte) 0xbb,                  // sin6_port 443
            0, 0, 0, 0,                         // sin6_flowinfo
            0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,   // sin6_addr
            0, 0, 0, 0},                        // sin6_scope_id
                bytes(p, 28));
    }

    @Test
    void tcpConnectionInfoFieldsAtTheirOffsets() {
        Pointer p = memory(TcpConnectionInfo.SIZE);
        p.putInt(36, 65535);     // tcpi_rcv_wnd, before the field we read
        p.putInt(40, 29);        // tcpi_rttcur
        p.putInt(44, 31);        // tcpi_srtt
        p.putInt(48, 7);         // tcpi_rttvar
        p.putLong(104, 2);       // tcpi_txretransmitpackets
        TcpConnectionInfo info = TcpConnectionInfo.read(p, 112);
        assertEquals(29, info.rttCurMillis);
        assertEquals(31, info.srttMillis);
        assertEquals(2, info.txRetransmitPackets);
        assertEquals(112, TcpConnectionInfo.SIZE);
        TcpConnectionInfo shortInfo = TcpConnectionInfo.read(p, 40);
        assertEquals(0, shortInfo.rttCurMillis, "a short struct has no rttcur");
        assertEquals(false, shortInfo.hasRtt());
    }
}

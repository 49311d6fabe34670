package io.rttpick.prober.linux.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.prober.unix.LinuxSocketConstants;
import io.rttpick.prober.unix.NativeArena;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Optional;
import jnr.ffi.Pointer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The sock_diag reader on this machine's loopback, its encoding, and its availability elsewhere. */
class ConnectionRttTest {

    @Test
    void aLiveLoopbackConnectionIsReadTheKernelsFiguresOnceASecondAndAClosedOneIsGone() throws Exception {
        Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux"), "Linux only");
        // qemu-user (CI's aarch64 run) emulates no netlink socket: there sock_diag is unavailable, saying so.
        // On a real kernel it must work: ConnectionRttOnFleetTest requires it.
        Assumptions.assumeTrue(ConnectionRtt.isAvailable(), () -> "sock_diag unavailable here: "
                + ConnectionRtt.unavailabilityCause().map(Throwable::getMessage).orElse("?"));
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ConnectionRtt reader = ConnectionRtt.open()) {
            InetSocketAddress local;
            InetSocketAddress remote;
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
                 Socket server = listener.accept()) {
                client.getOutputStream().write(new byte[] {1, 2, 3});
                server.getInputStream().read(new byte[3]);
                local = (InetSocketAddress) client.getLocalSocketAddress();
                remote = (InetSocketAddress) client.getRemoteSocketAddress();
                Optional<ConnectionRtt.Reading> reading = reader.read(local, remote);
                assertTrue(reading.isPresent(), "the kernel knows our own connection");
                assertTrue(reading.get().rttMicros() > 0 && reading.get().rttMicros() < 50_000, reading.get().toString());
                assertTrue(reading.get().minRttMicros() > 0 && reading.get().minRttMicros() <= reading.get().rttMicros() + 1,
                        reading.get().toString());
                assertSame(reading.get(), reader.read(local, remote).get(), "within a second: not asked again");
                // the other end, by its own addresses
                assertTrue(reader.read((InetSocketAddress) server.getLocalSocketAddress(),
                        (InetSocketAddress) server.getRemoteSocketAddress()).isPresent());
            }
            Thread.sleep(1_100);
            assertFalse(reader.read(local, new InetSocketAddress(remote.getAddress(), 1)).isPresent(), "no such connection");
        }
    }

    @Test
    void unavailableOutsideLinuxAndOnAndroidSayingWhy() {
        Throwable mac = ConnectionRtt.check("Mac OS X", "Homebrew");
        assertTrue(mac.getMessage().contains("Linux") && mac.getMessage().contains("Mac OS X"), mac.getMessage());
        Throwable android = ConnectionRtt.check("Linux", "The Android Project");
        assertTrue(android.getMessage().contains("FleetSelector.observe"), android.getMessage());
        assertTrue(ConnectionRtt.check("Windows 11", "Oracle").getMessage().contains("Windows 11"));
    }

    @Test
    void theQueryIsAnInetDiagRequestForOneSocketAndNoSuchSocketIsEmpty() {
        Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux"), "JNR memory");
        try (NativeArena arena = new NativeArena()) {
            Pointer p = arena.allocate(ConnectionRtt.REQUEST_BYTES);
            ConnectionRtt.encode(p, 7, LinuxSocketConstants.AF_INET, 0x1234, new byte[] {10, 0, 0, 1}, 993, new byte[] {(byte) 198, 18, 0, 29});
            assertEquals(72, p.getInt(0));
            assertEquals(20, p.getShort(4));
            assertEquals(1, p.getShort(6));
            assertEquals(7, p.getInt(8));
            assertEquals(2, p.getByte(16));
            assertEquals(6, p.getByte(17));
            assertEquals(2, p.getByte(18), "INET_DIAG_INFO asked for");
            assertEquals(0x12, p.getByte(24) & 0xff, "ports in network order");
            assertEquals(0x34, p.getByte(25) & 0xff);
            assertEquals(993 >> 8, p.getByte(26) & 0xff);
            assertEquals(10, p.getByte(28));
            assertEquals((byte) 198, p.getByte(44));
            assertEquals(-1, p.getInt(64), "no cookie");
            Pointer error = arena.allocate(36);
            error.setMemory(0, 36, (byte) 0);
            error.putInt(0, 36);
            error.putShort(4, (short) ConnectionRtt.NLMSG_ERROR);
            error.putInt(16, -2);
            assertNull(ConnectionRtt.decode(error, 36, 0), "ENOENT: no such socket");
        }
    }
}

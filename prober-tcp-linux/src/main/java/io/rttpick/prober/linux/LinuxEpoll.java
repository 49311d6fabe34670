package io.rttpick.prober.linux;

import io.rttpick.prober.spi.Availability;
import io.rttpick.prober.spi.ProberUnavailableException;
import java.util.Locale;
import java.util.Optional;
import jnr.ffi.Pointer;

/**
 * Whether the {@code linux-epoll} prober can run here, judged once by really making the calls it
 * needs: load libc, open an epoll fd, an eventfd and a socket, set TCP_QUICKACK and SO_LINGER.
 */
public final class LinuxEpoll {
    private static final Availability AVAILABILITY = Availability.of("linux-epoll", check());

    private LinuxEpoll() {
    }

    public static boolean isAvailable() {
        return AVAILABILITY.isAvailable();
    }

    public static Optional<Throwable> unavailabilityCause() {
        return AVAILABILITY.cause();
    }

    public static void ensureAvailability() {
        AVAILABILITY.ensure();
    }

    private static Throwable check() {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return new ProberUnavailableException("not Linux (os.name is " + os + ")");
        }
        if (System.getProperty("java.vm.vendor", "").toLowerCase(Locale.ROOT).contains("android")) {
            return new ProberUnavailableException("JNR does not run on Android's runtime");
        }
        try {
            Native.load();
            EpollTransport transport = new EpollTransport();
            try {
                transport.wakeup();
                transport.poll(0, (fd, at) -> { });
            } finally {
                transport.close();
            }
            // every call a probe makes, once, on an unconnected socket: this also takes the first-call
            // costs (stub binding, class loading) out of the first real probe's path
            try (NativeArena arena = new NativeArena()) {
                Pointer scratch = arena.allocate(TcpInfo.BUFFER_SIZE);
                Pointer length = arena.allocate(4);
                Pointer unspec = arena.allocate(SockAddr.MAX_SIZE);
                int fd = Native.socket(LinuxConstants.AF_INET);
                try {
                    Native.setIntOption(fd, LinuxConstants.SOL_TCP, LinuxConstants.TCP_QUICKACK, 0, scratch, "TCP_QUICKACK");
                    Native.setLingerZero(fd, scratch);
                    Native.socketError(fd, scratch, length);
                    TcpInfo.read(scratch, Native.tcpInfo(fd, scratch, TcpInfo.BUFFER_SIZE, length));
                    Native.disconnect(fd, unspec, SockAddr.MAX_SIZE); // how a kept socket is reset: fine unconnected too
                } finally {
                    Native.close(fd);
                }
            }
            return null;
        } catch (Throwable t) {
            return new ProberUnavailableException("native calls failed: " + t, t);
        }
    }
}

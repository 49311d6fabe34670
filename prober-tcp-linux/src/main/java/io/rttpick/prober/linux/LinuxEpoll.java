package io.rttpick.prober.linux;

import io.rttpick.prober.Handshake;
import io.rttpick.prober.Prober;
import io.rttpick.prober.ProberUnavailableException;
import io.rttpick.prober.engine.EventLoopProber;
import io.rttpick.prober.spi.Availability;
import io.rttpick.prober.spi.Canary;
import io.rttpick.prober.spi.Transport;
import io.rttpick.prober.unix.LinuxSocketConstants;
import io.rttpick.prober.unix.Native;
import io.rttpick.prober.unix.NativeArena;
import io.rttpick.prober.unix.NativeCallException;
import io.rttpick.prober.unix.SockAddr;
import java.time.Duration;
import java.util.Locale;
import jnr.ffi.Pointer;

/**
 * Whether the {@code linux-epoll} prober can run here, judged once by really making the calls it
 * needs (load libc, open an epoll fd, an eventfd and a socket, set TCP_QUICKACK and SO_LINGER),
 * then by a {@link Canary}: real half-open probes of listeners on loopback, each answer matched
 * to its own, no connection accepted, the kernel's RTT possible. A prober that fails it is not
 * trusted: the choice falls to the next one, and {@code rttpick probers} says why.
 */
public final class LinuxEpoll {
    static final Duration CANARY_TIMEOUT = Duration.ofSeconds(2);
    private static final Availability AVAILABILITY = check();

    private LinuxEpoll() {
    }

    /** Whether {@code linux-epoll} can run here; {@link #availability()} says why not (Netty's {@code Epoll} model). */
    public static boolean isAvailable() {
        return AVAILABILITY.isAvailable();
    }

    /** The judgement, made once: its {@link Availability#cause() cause} and {@link Availability#ensure()}. */
    public static Availability availability() {
        return AVAILABILITY;
    }

    private static Availability check() {
        Throwable calls = exerciseCalls();
        return calls != null ? Availability.of(LinuxEpollProberProvider.NAME, calls) : canary(EpollTransport::new, CANARY_TIMEOUT);
    }

    /**
     * The canary's judgement with transports from {@code transports} (made to order in tests): unavailable
     * with its reason, or available, with a note where only a slow machine's late closes completed handshakes.
     */
    static Availability canary(TransportFactory transports, Duration timeout) {
        try (Prober prober = prober(transports.create())) {
            return new Canary(Handshake.HALF_OPEN, timeout).verdict(prober).availability(LinuxEpollProberProvider.NAME);
        } catch (Throwable t) {
            return Availability.of(LinuxEpollProberProvider.NAME, new ProberUnavailableException("canary: " + t, t));
        }
    }

    private static <C> Prober prober(Transport<C> transport) {
        return new EventLoopProber<>(LinuxEpollProberProvider.NAME, transport);
    }

    /** An EpollTransport, or one made wrong on purpose. */
    @FunctionalInterface
    interface TransportFactory {
        Transport<?> create() throws NativeCallException;
    }

    private static Throwable exerciseCalls() {
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
                int fd = Native.socket(LinuxSocketConstants.AF_INET,
                        LinuxConstants.SOCK_STREAM | LinuxSocketConstants.SOCK_NONBLOCK | LinuxSocketConstants.SOCK_CLOEXEC, 0, "socket");
                try {
                    Native.setIntOption(fd, LinuxConstants.SOL_TCP, LinuxConstants.TCP_QUICKACK, 0, scratch, "TCP_QUICKACK");
                    Native.setLingerZero(fd, scratch);
                    Native.socketError(fd, scratch, length);
                    TcpInfo.read(scratch, Native.getOption(fd, LinuxConstants.SOL_TCP, LinuxConstants.TCP_INFO, scratch,
                            TcpInfo.BUFFER_SIZE, length, "TCP_INFO"));
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

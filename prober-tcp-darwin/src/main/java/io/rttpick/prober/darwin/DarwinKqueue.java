package io.rttpick.prober.darwin;

import io.rttpick.prober.Handshake;
import io.rttpick.prober.Prober;
import io.rttpick.prober.ProberUnavailableException;
import io.rttpick.prober.engine.EventLoopProber;
import io.rttpick.prober.spi.Availability;
import io.rttpick.prober.spi.Canary;
import io.rttpick.prober.unix.NativeCallException;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Whether {@code darwin-kqueue} can run here, judged once: on macOS, by loading libc and really
 * making the calls a probe makes (a kqueue with its wakeup, a socket with every option set), then
 * by a {@link Canary} (real probes of listeners on loopback, each answer matched to its own);
 * anywhere else, it says which OS this is. Nothing here has run on a Mac: the canary is what
 * keeps a binding that is wrong there from being trusted.
 */
public final class DarwinKqueue {
    static final Duration CANARY_TIMEOUT = Duration.ofSeconds(2);

    private static final Availability AVAILABILITY = Availability.of("darwin-kqueue", check(System.getProperty("os.name", ""),
            System.getProperty("os.arch", ""), JnrDarwinSystem::new));

    private DarwinKqueue() {
    }

    /** Whether {@code darwin-kqueue} can run here; {@link #availability()} says why not (Netty's {@code Epoll} model). */
    public static boolean isAvailable() {
        return AVAILABILITY.isAvailable();
    }

    /** The judgement, made once: its {@link Availability#cause() cause} and {@link Availability#ensure()}. */
    public static Availability availability() {
        return AVAILABILITY;
    }

    /** The cause, or null when every call worked; {@code system} is only made on macOS. */
    static Throwable check(String os, String arch, Supplier<DarwinSystem> system) {
        String name = os.toLowerCase(Locale.ROOT);
        if (!name.startsWith("mac") && !name.startsWith("darwin")) {
            return new ProberUnavailableException("not macOS: this is " + os
                    + " (darwin-kqueue needs Darwin's kqueue and TCP_CONNECTION_INFO)");
        }
        try {
            KEventLayout.checkSupported(arch);
            exercise(system.get());
            return canary(system, CANARY_TIMEOUT);
        } catch (Throwable t) {
            return new ProberUnavailableException("native calls failed: " + t, t);
        }
    }

    /** Why the canary failed over {@code system}, or null when every answer was right. */
    static Throwable canary(Supplier<DarwinSystem> system, Duration timeout) {
        try (Prober prober = new EventLoopProber<>(DarwinKqueueProberProvider.NAME, new KqueueTransport(system.get()))) {
            // Darwin has no TCP_QUICKACK: the handshake completes, so no half-open check
            return new Canary(Handshake.COMPLETED, timeout).check(prober)
                    .map(why -> (Throwable) new ProberUnavailableException(why)).orElse(null);
        } catch (Throwable t) {
            return new ProberUnavailableException("canary: " + t, t);
        }
    }

    /** Every call a probe makes, once, on an unconnected socket. */
    static void exercise(DarwinSystem system) throws NativeCallException {
        KqueueTransport transport = new KqueueTransport(system);
        try {
            transport.wakeup();
            transport.poll(0, (fd, at) -> { });
        } finally {
            transport.close();
        }
        int fd = system.socket(DarwinConstants.AF_INET);
        try {
            system.setNonBlocking(fd);
            system.setIntOption(fd, DarwinConstants.SOL_SOCKET, DarwinConstants.SO_NOSIGPIPE, 1, "SO_NOSIGPIPE");
            system.setLingerZero(fd);
            system.socketError(fd);
        } finally {
            system.close(fd);
        }
    }
}

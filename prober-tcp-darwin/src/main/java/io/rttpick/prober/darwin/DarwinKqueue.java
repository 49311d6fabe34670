package io.rttpick.prober.darwin;

import io.rttpick.prober.spi.Availability;
import io.rttpick.prober.spi.ProberUnavailableException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Whether {@code darwin-kqueue} can run here, judged once: on macOS, by loading libc and really
 * making the calls a probe makes (a kqueue with its wakeup, a socket with every option set);
 * anywhere else, it says which OS this is.
 */
public final class DarwinKqueue {
    private static final Availability AVAILABILITY = Availability.of("darwin-kqueue", check(System.getProperty("os.name", ""),
            System.getProperty("os.arch", ""), JnrDarwinSystem::new));

    private DarwinKqueue() {
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
            return null;
        } catch (Throwable t) {
            return new ProberUnavailableException("native calls failed: " + t, t);
        }
    }

    /** Every call a probe makes, once, on an unconnected socket. */
    static void exercise(DarwinSystem system) throws DarwinCallException {
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

package io.rttpick.prober.linux;

import io.rttpick.prober.Prober;
import io.rttpick.prober.spi.ProberProvider;
import io.rttpick.prober.spi.ProberUnavailableException;
import java.util.Optional;

/**
 * {@code linux-epoll}: registered so that users and the choice report see it, but the native probe
 * itself is not in this release (issue  epoll, TCP_QUICKACK off, SO_LINGER 0, kernel tcpi_rtt:5). It is always unavailable and says so; it never
 * pretends to probe.
 */
public final class LinuxEpollProberProvider implements ProberProvider {
    public static final String NAME = "linux-epoll";
    private static final ProberUnavailableException NOT_BUILT = new ProberUnavailableException(
            "the linux-epoll prober is not part of this build yet; the connect prober serves instead");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public boolean isNative() {
        return true;
    }

    @Override
    public boolean isAvailable() {
        return false;
    }

    @Override
    public Optional<Throwable> unavailabilityCause() {
        return Optional.of(NOT_BUILT);
    }

    @Override
    public String description() {
        return "Linux half-open probe";
    }

    @Override
    public Prober create() {
        ensureAvailability();
        throw new AssertionError("unreachable: never available");
    }
}

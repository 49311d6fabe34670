package io.rttpick.prober.darwin;

import io.rttpick.prober.Prober;
import io.rttpick.prober.spi.ProberProvider;
import io.rttpick.prober.spi.ProberUnavailableException;
import java.util.Optional;

/**
 * {@code darwin-kqueue}: registered so that users and the choice report see it, but the native probe
 * itself is not in this release (issue  kqueue, handshake completed then reset at once:6). It is always unavailable and says so; it never
 * pretends to probe.
 */
public final class DarwinKqueueProberProvider implements ProberProvider {
    public static final String NAME = "darwin-kqueue";
    private static final ProberUnavailableException NOT_BUILT = new ProberUnavailableException(
            "the darwin-kqueue prober is not part of this build yet; the connect prober serves instead");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 90;
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
        return "macOS probe";
    }

    @Override
    public Prober create() {
        ensureAvailability();
        throw new AssertionError("unreachable: never available");
    }
}

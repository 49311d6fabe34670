package io.rttpick.prober.darwin;

import io.rttpick.prober.Prober;
import io.rttpick.prober.spi.EventLoopProber;
import io.rttpick.prober.spi.ProberProvider;
import io.rttpick.prober.spi.ProberUnavailableException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code darwin-kqueue}: TCP handshake probes on macOS (and iOS) with kqueue. Darwin has no
 * TCP_QUICKACK, so the kernel completes the handshake before the prober can act: the wire shows
 * SYN, SYN-ACK, ACK, then our RST the instant kqueue reports the socket writable (SO_LINGER 0).
 * The server's TCP stack sees a connection that is reset at once; every sample reports
 * handshake {@code COMPLETED}. Available on macOS only; elsewhere it says why.
 */
public final class DarwinKqueueProberProvider implements ProberProvider {
    public static final String NAME = "darwin-kqueue";

    private final Supplier<DarwinSystem> system;
    private final Supplier<Optional<Throwable>> unavailability;

    /** The real thing, for ServiceLoader; availability is judged when first asked, not on loading. */
    public DarwinKqueueProberProvider() {
        this.system = JnrDarwinSystem::new;
        this.unavailability = DarwinKqueue::unavailabilityCause;
    }

    /** Over another implementation of the system calls (the tests' simulated kqueue). */
    DarwinKqueueProberProvider(Supplier<DarwinSystem> system, Throwable unavailable) {
        this.system = system;
        this.unavailability = () -> Optional.ofNullable(unavailable);
    }

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
        return unavailability.get().isEmpty();
    }

    @Override
    public Optional<Throwable> unavailabilityCause() {
        return unavailability.get();
    }

    @Override
    public String description() {
        return "TCP handshake probe (kqueue, SO_LINGER 0): the handshake completes, then an immediate RST";
    }

    @Override
    public Prober create() {
        ensureAvailability();
        try {
            return new EventLoopProber<>(NAME, new KqueueTransport(system.get()));
        } catch (DarwinCallException e) {
            throw new ProberUnavailableException("darwin-kqueue: " + e.getMessage(), e);
        }
    }
}

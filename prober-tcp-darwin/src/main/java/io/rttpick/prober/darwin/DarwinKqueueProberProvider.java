package io.rttpick.prober.darwin;

import io.rttpick.prober.Prober;
import io.rttpick.prober.engine.EventLoopProber;
import io.rttpick.prober.spi.AbstractProberProvider;
import io.rttpick.prober.spi.Availability;
import io.rttpick.prober.unix.NativeCallException;
import java.util.function.Supplier;

/**
 * {@code darwin-kqueue}: TCP handshake probes on macOS (and iOS) with kqueue. Darwin has no
 * TCP_QUICKACK, so the kernel completes the handshake before the prober can act: the wire shows
 * SYN, SYN-ACK, ACK, then our RST the instant kqueue reports the socket writable (SO_LINGER 0).
 * The server's TCP stack sees a connection that is reset at once; every sample reports
 * handshake {@code COMPLETED}. Available on macOS only; elsewhere it says why.
 */
public final class DarwinKqueueProberProvider extends AbstractProberProvider {
    public static final String NAME = "darwin-kqueue";

    private final Supplier<DarwinSystem> system;
    private final Supplier<Availability> availability;

    /** The real thing, for ServiceLoader; availability is judged when first asked, not on loading. */
    public DarwinKqueueProberProvider() {
        this(JnrDarwinSystem::new, DarwinKqueue::availability);
    }

    /** Over another implementation of the system calls (the tests' simulated kqueue). */
    DarwinKqueueProberProvider(Supplier<DarwinSystem> system, Throwable unavailable) {
        this(system, () -> Availability.of(NAME, unavailable));
    }

    private DarwinKqueueProberProvider(Supplier<DarwinSystem> system, Supplier<Availability> availability) {
        super(NAME, 90, true, "TCP handshake probe (kqueue, SO_LINGER 0): the handshake completes, then an immediate RST");
        this.system = system;
        this.availability = availability;
    }

    @Override
    protected Availability availability() {
        return availability.get();
    }

    @Override
    protected Prober createProber() throws NativeCallException {
        return new EventLoopProber<>(NAME, new KqueueTransport(system.get()));
    }
}

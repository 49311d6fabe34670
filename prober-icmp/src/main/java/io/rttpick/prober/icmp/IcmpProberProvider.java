package io.rttpick.prober.icmp;

import io.rttpick.prober.Prober;
import io.rttpick.prober.spi.EventLoopProber;
import io.rttpick.prober.spi.ProberProvider;
import io.rttpick.prober.spi.ProberUnavailableException;
import java.util.Optional;

/**
 * {@code icmp}: ICMP echo through unprivileged ping sockets. It measures the path without
 * touching the service's port at all, so it says nothing about whether the service answers:
 * its priority is below the TCP probers', and it is used when chosen by name.
 */
public final class IcmpProberProvider implements ProberProvider {
    public static final String NAME = "icmp";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 5;
    }

    @Override
    public boolean isNative() {
        return true;
    }

    @Override
    public boolean isAvailable() {
        return Icmp.isAvailable();
    }

    @Override
    public Optional<Throwable> unavailabilityCause() {
        return Icmp.unavailabilityCause();
    }

    @Override
    public String description() {
        return "ICMP echo on an unprivileged ping socket, RTT from the kernel's receive timestamp; the port is not used";
    }

    @Override
    public Prober create() {
        ensureAvailability();
        return createAnyway();
    }

    /** The prober even where the system forbids ping sockets: each attempt is then PERMISSION_DENIED, saying why. */
    static Prober createAnyway() {
        try {
            return new EventLoopProber<>(NAME, new IcmpTransport());
        } catch (IcmpCallException e) {
            throw new ProberUnavailableException("icmp: " + e.getMessage(), e);
        }
    }
}

package io.rttpick.prober.icmp;

import io.rttpick.prober.Prober;
import io.rttpick.prober.ProberUnavailableException;
import io.rttpick.prober.engine.EventLoopProber;
import io.rttpick.prober.spi.AbstractProberProvider;
import io.rttpick.prober.spi.Availability;
import io.rttpick.prober.unix.NativeCallException;

/**
 * {@code icmp}: ICMP echo through unprivileged ping sockets. It measures the path without
 * touching the service's port at all, so it says nothing about whether the service answers:
 * its priority is below the TCP probers', and it is used when chosen by name.
 */
public final class IcmpProberProvider extends AbstractProberProvider {
    public static final String NAME = "icmp";

    public IcmpProberProvider() {
        super(NAME, 5, true,
                "ICMP echo on an unprivileged ping socket, RTT from the kernel's receive timestamp; the port is not used");
    }

    @Override
    protected Availability availability() {
        return Icmp.availability();
    }

    @Override
    protected Prober createProber() throws NativeCallException {
        return new EventLoopProber<>(NAME, new IcmpTransport());
    }

    /** The prober even where the system forbids ping sockets: each attempt is then PERMISSION_DENIED, saying why. */
    static Prober createAnyway() {
        try {
            return new EventLoopProber<>(NAME, new IcmpTransport());
        } catch (NativeCallException e) {
            throw new ProberUnavailableException("icmp: " + e.getMessage(), e);
        }
    }
}

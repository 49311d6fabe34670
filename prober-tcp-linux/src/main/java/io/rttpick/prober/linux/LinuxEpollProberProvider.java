package io.rttpick.prober.linux;

import io.rttpick.prober.Prober;
import io.rttpick.prober.spi.EventLoopProber;
import io.rttpick.prober.spi.ProberProvider;
import io.rttpick.prober.spi.ProberUnavailableException;
import java.util.Optional;

/** {@code linux-epoll}: half-open probes timed by the kernel. The preferred prober on Linux. */
public final class LinuxEpollProberProvider implements ProberProvider {
    public static final String NAME = "linux-epoll";

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
        return LinuxEpoll.isAvailable();
    }

    @Override
    public Optional<Throwable> unavailabilityCause() {
        return LinuxEpoll.unavailabilityCause();
    }

    @Override
    public String description() {
        return "half-open TCP probe (epoll, TCP_QUICKACK off, SO_LINGER 0), RTT from the kernel's tcpi_rtt";
    }

    @Override
    public Prober create() {
        ensureAvailability();
        try {
            return new EventLoopProber<>(NAME, new EpollTransport());
        } catch (NativeCallException e) {
            throw new ProberUnavailableException("linux-epoll: " + e.getMessage(), e);
        }
    }
}

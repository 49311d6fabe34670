package io.rttpick.prober.linux;

import io.rttpick.prober.Prober;
import io.rttpick.prober.engine.EventLoopProber;
import io.rttpick.prober.spi.AbstractProberProvider;
import io.rttpick.prober.spi.Availability;
import io.rttpick.prober.unix.NativeCallException;

/** {@code linux-epoll}: half-open probes timed by the kernel. The preferred prober on Linux. */
public final class LinuxEpollProberProvider extends AbstractProberProvider {
    public static final String NAME = "linux-epoll";

    public LinuxEpollProberProvider() {
        super(NAME, 100, true,
                "half-open TCP probe (epoll, TCP_QUICKACK off, SO_LINGER 0), RTT from the kernel's tcpi_rtt");
    }

    @Override
    protected Availability availability() {
        return LinuxEpoll.availability();
    }

    @Override
    protected Prober createProber() throws NativeCallException {
        return new EventLoopProber<>(NAME, new EpollTransport());
    }
}

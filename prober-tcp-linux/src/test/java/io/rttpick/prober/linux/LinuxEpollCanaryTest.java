package io.rttpick.prober.linux;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.spi.AttemptFailedException;
import io.rttpick.prober.spi.AttemptResult;
import io.rttpick.prober.spi.ConnectClock;
import io.rttpick.prober.spi.NoRoomException;
import io.rttpick.prober.spi.Transport;
import io.rttpick.prober.unix.EpollEventLayout;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The canary trusts linux-epoll as it is, and catches it made wrong: a wrong epoll_event layout, events that never come. */
class LinuxEpollCanaryTest {

    @Test
    void theRealTransportPassesAndWhatItCosts() throws Exception {
        LinuxEpoll.canary(EpollTransport::new, Duration.ofSeconds(2)); // warm: classes loaded once, as in a real start
        long start = System.nanoTime();
        Throwable cause = LinuxEpoll.canary(EpollTransport::new, Duration.ofSeconds(2));
        System.out.printf("linux-epoll canary (warm): %.1f ms%n", (System.nanoTime() - start) / 1e6);
        assertNull(cause, () -> String.valueOf(cause));
    }

    @Test
    void theOtherCpusEpollLayoutIsCaught() {
        EpollEventLayout wrong = EpollEventLayout.current() == EpollEventLayout.PACKED ? EpollEventLayout.ALIGNED : EpollEventLayout.PACKED;
        long start = System.nanoTime();
        Throwable cause = LinuxEpoll.canary(() -> new EpollTransport(wrong), Duration.ofMillis(500));
        System.out.printf("canary with the %s epoll layout forced: %s (after %.0f ms)%n", wrong, cause, (System.nanoTime() - start) / 1e6);
        assertNotNull(cause, "a wrong epoll_event layout passed the canary");
        assertTrue(cause.getMessage().startsWith("canary: "), cause.getMessage());
    }

    @Test
    void aCanaryNobodyAnswersTimesOutAndIsNotTrusted() {
        Throwable cause = LinuxEpoll.canary(() -> new Deaf<>(new EpollTransport()), Duration.ofMillis(300));
        assertNotNull(cause);
        assertTrue(cause.getMessage().contains("should be OK, the prober said TIMEOUT"), cause.getMessage());
    }

    /** A transport whose readiness never reaches the event loop. */
    private static final class Deaf<C> implements Transport<C> {
        private final Transport<C> real;

        Deaf(Transport<C> real) {
            this.real = real;
        }

        @Override
        public C connect(InetSocketAddress target, InetAddress localAddress, ConnectClock clock)
                throws AttemptFailedException, NoRoomException {
            return real.connect(target, localAddress, clock);
        }

        @Override
        public C connect(InetSocketAddress target, ProbeOptions options, ConnectClock clock)
                throws AttemptFailedException, NoRoomException {
            return real.connect(target, options, clock);
        }

        @Override
        public void poll(long timeoutNanos, ReadyHandler<C> ready) throws IOException {
            real.poll(timeoutNanos, (c, at) -> { });
        }

        @Override
        public AttemptResult finish(C connection, long startNanos, long readyNanos) {
            return real.finish(connection, startNanos, readyNanos);
        }

        @Override
        public void abort(C connection) {
            real.abort(connection);
        }

        @Override
        public void wakeup() {
            real.wakeup();
        }

        @Override
        public void close() {
            real.close();
        }
    }
}

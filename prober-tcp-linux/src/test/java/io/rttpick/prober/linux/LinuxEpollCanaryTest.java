package io.rttpick.prober.linux;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.spi.AttemptFailedException;
import io.rttpick.prober.spi.AttemptResult;
import io.rttpick.prober.spi.Availability;
import io.rttpick.prober.spi.ConnectClock;
import io.rttpick.prober.spi.NoRoomException;
import io.rttpick.prober.spi.Transport;
import io.rttpick.prober.unix.EpollEventLayout;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The canary trusts linux-epoll as it is, and catches it made wrong: a wrong epoll_event layout, events that never come. */
class LinuxEpollCanaryTest {

    @Test
    void theRealTransportPassesAndWhatItCosts() throws Exception {
        LinuxEpoll.canary(EpollTransport::new, Duration.ofSeconds(2)); // warm: classes loaded once, as in a real start
        long start = System.nanoTime();
        Throwable cause = LinuxEpoll.canary(EpollTransport::new, Duration.ofSeconds(2)).cause().orElse(null);
        System.out.printf("linux-epoll canary (warm): %.1f ms%n", (System.nanoTime() - start) / 1e6);
        assertNull(cause, () -> String.valueOf(cause));
    }

    @Test
    void theOtherCpusEpollLayoutIsCaught() {
        EpollEventLayout wrong = EpollEventLayout.current() == EpollEventLayout.PACKED ? EpollEventLayout.ALIGNED : EpollEventLayout.PACKED;
        long start = System.nanoTime();
        Throwable cause = LinuxEpoll.canary(() -> new EpollTransport(wrong), Duration.ofMillis(500)).cause().orElse(null);
        System.out.printf("canary with the %s epoll layout forced: %s (after %.0f ms)%n", wrong, cause, (System.nanoTime() - start) / 1e6);
        assertNotNull(cause, "a wrong epoll_event layout passed the canary");
        assertTrue(cause.getMessage().startsWith("canary: "), cause.getMessage());
    }

    @Test
    void aCanaryNobodyAnswersTimesOutAndIsNotTrusted() {
        Throwable cause = LinuxEpoll.canary(() -> new Deaf<>(new EpollTransport()), Duration.ofMillis(300)).cause().orElse(null);
        assertNotNull(cause);
        assertTrue(cause.getMessage().contains("should be OK, the prober said TIMEOUT"), cause.getMessage());
    }

    @Test
    void aSlowMachinesLateClosesAreTrustedWithANote() {
        // every close 250 ms after the SYN-ACK: past the kernel's delayed ACK (200 ms at most), so each
        // handshake completes, as on a slow qemu or a busy phone; the prober itself is right
        Availability a = LinuxEpoll.canary(() -> new LateClose<>(new EpollTransport(), 250), Duration.ofSeconds(2));
        System.out.println("canary with every close 250 ms late: " + a.note().orElse("(no note)"));
        assertTrue(a.isAvailable(), () -> String.valueOf(a.cause().orElse(null)));
        assertTrue(a.note().orElse("").contains("too slow"), a.note().orElse("(no note)"));
    }

    /**
     * Needs a CPU that closes within LATE_CLOSE of the SYN-ACK: under qemu (.ci/arm64-tests) even a
     * prompt close can measure later, and is then given the slow machine's allowance, as it should.
     * The rule itself is CanaryTest's, on a scripted transport.
     */
    @Test
    @Tag("fast-cpu")
    void aProberThatCompletesTheHandshakeIsNotTrusted() {
        Availability a = LinuxEpoll.canary(() -> new Completing<>(new EpollTransport()), Duration.ofSeconds(2));
        assertFalse(a.isAvailable(), "a prober whose handshakes complete at once was trusted");
        String why = a.cause().get().getMessage();
        assertTrue(why.contains("inside the kernel's delayed-ACK window") && why.contains("not left half-open"), why);
    }

    /** Forwards every call to a real transport; subclasses change one. */
    private static class Forwarding<C> implements Transport<C> {
        final Transport<C> real;

        Forwarding(Transport<C> real) {
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
            real.poll(timeoutNanos, ready);
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
        public void completeCloses() {
            real.completeCloses();
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

    /** A transport whose readiness never reaches the event loop. */
    private static final class Deaf<C> extends Forwarding<C> {
        Deaf(Transport<C> real) {
            super(real);
        }

        @Override
        public void poll(long timeoutNanos, ReadyHandler<C> ready) throws IOException {
            real.poll(timeoutNanos, (c, at) -> { });
        }
    }

    /** The real transport on a machine too slow to close before the delayed ACK: each finish comes late. */
    private static final class LateClose<C> extends Forwarding<C> {
        private final long lateMillis;

        LateClose(Transport<C> real, long lateMillis) {
            super(real);
            this.lateMillis = lateMillis;
        }

        @Override
        public AttemptResult finish(C connection, long startNanos, long readyNanos) {
            try {
                Thread.sleep(lateMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return real.finish(connection, startNanos, readyNanos);
        }
    }

    /** A prober that completes the handshake: beside each real probe, a plain connect the kernel ACKs at once. */
    private static final class Completing<C> extends Forwarding<C> {
        private final List<SocketChannel> completed = new ArrayList<>();

        Completing(Transport<C> real) {
            super(real);
        }

        @Override
        public C connect(InetSocketAddress target, ProbeOptions options, ConnectClock clock)
                throws AttemptFailedException, NoRoomException {
            C c = real.connect(target, options, clock);
            try {
                completed.add(SocketChannel.open(target));
            } catch (IOException refused) {
                // the refusing port: the real probe says so
            }
            return c;
        }

        @Override
        public void close() {
            for (SocketChannel c : completed) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // loopback test socket
                }
            }
            real.close();
        }
    }
}

package io.rttpick.prober.connect;

import io.rttpick.prober.Prober;
import io.rttpick.prober.spi.ProberProvider;
import java.io.IOException;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Optional;

/**
 * {@code connect}: java.nio connects timed in user space, half-open where the JDK can turn
 * TCP_QUICKACK off (Linux JDKs), else completed and reset. No native code: works on every OS; the
 * fallback.
 */
public final class ConnectProberProvider implements ProberProvider {
    public static final String NAME = "connect";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public boolean isNative() {
        return false;
    }

    @Override
    public boolean isAvailable() {
        return Availability.CAUSE == null;
    }

    @Override
    public Optional<Throwable> unavailabilityCause() {
        return Optional.ofNullable(Availability.CAUSE);
    }

    @Override
    public String description() {
        return !DELAYED_ACK.unavailable().isPresent()
                ? "java.nio connect, user-space timing, half-open: TCP_QUICKACK off, closed with RST after the SYN-ACK"
                : "java.nio connect, user-space timing, completed handshake closed with RST ("
                        + DELAYED_ACK.unavailable().get() + ")";
    }

    @Override
    public Prober create() {
        ensureAvailability();
        return ConnectProbers.create(NAME, DELAYED_ACK);
    }

    /** What this runtime offers, judged once by asking it. */
    private static final DelayedAck DELAYED_ACK = JdkDelayedAck.detect();

    /** Judged once, by opening what a probe needs. */
    private static final class Availability {
        static final Throwable CAUSE = check();

        private static Throwable check() {
            try (Selector selector = Selector.open(); SocketChannel channel = SocketChannel.open()) {
                channel.configureBlocking(false);
                return null;
            } catch (IOException | RuntimeException e) {
                return e;
            }
        }
    }
}

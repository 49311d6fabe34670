package io.rttpick.prober.connect;

import io.rttpick.prober.Prober;
import io.rttpick.prober.spi.EventLoopProber;
import io.rttpick.prober.spi.ProberProvider;
import java.io.IOException;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Optional;

/** {@code connect}: java.nio connects timed in user space. Works on every OS; the fallback. */
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
        return "java.nio connect, user-space timing, completed handshake closed with RST";
    }

    @Override
    public Prober create() {
        ensureAvailability();
        return new EventLoopProber<>(NAME, new NioTransport());
    }

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

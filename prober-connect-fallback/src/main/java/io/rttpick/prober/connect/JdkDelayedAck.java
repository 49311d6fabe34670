package io.rttpick.prober.connect;

import java.io.IOException;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.util.Optional;

/**
 * TCP_QUICKACK through {@code jdk.net.ExtendedSocketOptions}, which Linux JDKs support. Looked up
 * by reflection: the class is missing on Android and other runtimes, where this says why instead
 * of failing to load.
 */
final class JdkDelayedAck implements DelayedAck {
    private final SocketOption<Boolean> quickAck;
    private final String unavailable;

    private JdkDelayedAck(SocketOption<Boolean> quickAck, String unavailable) {
        this.quickAck = quickAck;
        this.unavailable = unavailable;
    }

    /** Judged by asking the runtime whether a socket channel supports the option. */
    static DelayedAck detect() {
        SocketOption<Boolean> option;
        try {
            @SuppressWarnings("unchecked")
            SocketOption<Boolean> o = (SocketOption<Boolean>) Class.forName("jdk.net.ExtendedSocketOptions")
                    .getField("TCP_QUICKACK").get(null);
            option = o;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return DelayedAck.none("this runtime has no jdk.net.ExtendedSocketOptions.TCP_QUICKACK (" + e + ")");
        }
        try (SocketChannel probe = SocketChannel.open()) {
            if (!probe.supportedOptions().contains(option)) {
                return DelayedAck.none("TCP_QUICKACK is not supported here (" + System.getProperty("os.name")
                        + " has no such option): the kernel completes the handshake");
            }
        } catch (IOException | RuntimeException e) {
            return DelayedAck.none("cannot open a socket to check TCP_QUICKACK: " + e);
        }
        return new JdkDelayedAck(option, null);
    }

    @Override
    public boolean request(SocketChannel channel) throws IOException {
        channel.setOption(quickAck, false);
        return true;
    }

    @Override
    public Optional<String> unavailable() {
        return Optional.ofNullable(unavailable);
    }
}

package io.rttpick.prober.connect;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.Optional;

/**
 * Asks the kernel not to acknowledge the SYN-ACK at once (TCP_QUICKACK off), so that closing
 * the socket with SO_LINGER 0 right after the connect completes sends RST instead of the
 * handshake's final ACK: SYN, SYN-ACK, RST, and the server's application never sees a
 * connection. Where it cannot be had (macOS has no TCP_QUICKACK) the kernel completes the
 * handshake first and the samples say {@code COMPLETED}.
 */
public interface DelayedAck {

    /** Sets it on {@code channel}, before its connect; false when this platform cannot. */
    boolean request(SocketChannel channel) throws IOException;

    /** Why it cannot be had here; empty when it can. */
    Optional<String> unavailable();

    /** None at all, for {@code reason}. */
    static DelayedAck none(String reason) {
        return new DelayedAck() {
            @Override
            public boolean request(SocketChannel channel) {
                return false;
            }

            @Override
            public Optional<String> unavailable() {
                return Optional.of(reason);
            }
        };
    }
}

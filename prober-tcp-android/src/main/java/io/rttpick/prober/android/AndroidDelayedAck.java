package io.rttpick.prober.android;

import io.rttpick.prober.connect.DelayedAck;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.Optional;

/**
 * TCP_QUICKACK off through {@code android.system.Os.setsockoptInt}, public from API 26: the
 * connect then goes half-open (SYN, SYN-ACK, RST) as on Linux JDKs. Below API 26 nothing is set
 * and the samples say why ({@code COMPLETED}: the kernel finishes the handshake first).
 */
final class AndroidDelayedAck implements DelayedAck {
    /** From linux/tcp.h; Android's OsConstants does not name it. */
    static final int TCP_QUICKACK = 12;
    /** IPPROTO_TCP (6), as every Linux has it. */
    static final int IPPROTO_TCP = 6;
    static final int MIN_SDK = 26;

    private final AndroidOs os;
    private final String unavailable;

    AndroidDelayedAck(AndroidOs os) {
        this.os = os;
        int sdk = os.sdkInt();
        this.unavailable = sdk >= MIN_SDK ? null : "Android API level " + sdk
                + ": android.system.Os.setsockoptInt is public from API " + MIN_SDK + " on, so the kernel completes the handshake";
    }

    @Override
    public boolean request(SocketChannel channel) throws IOException {
        if (unavailable != null) {
            return false;
        }
        os.setsockoptInt(channel, IPPROTO_TCP, TCP_QUICKACK, 0);
        return true;
    }

    @Override
    public Optional<String> unavailable() {
        return Optional.ofNullable(unavailable);
    }
}

package io.rttpick.prober.android;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Android's {@code Os.setsockoptInt} as a Linux JDK can do it (TCP_QUICKACK through jdk.net), so
 * that the Android prober's own path runs for real off a device; it records every call.
 */
final class JdkBackedAndroidOs implements AndroidOs {
    final List<String> calls = new ArrayList<>();
    private final int sdk;

    JdkBackedAndroidOs(int sdk) {
        this.sdk = sdk;
    }

    @Override
    public int sdkInt() {
        return sdk;
    }

    @Override
    public synchronized void setsockoptInt(SocketChannel channel, int level, int option, int value) throws IOException {
        calls.add(level + "/" + option + "=" + value + (channel.isConnectionPending() || channel.isConnected() ? " after connect" : ""));
        if (level != AndroidDelayedAck.IPPROTO_TCP || option != AndroidDelayedAck.TCP_QUICKACK) {
            throw new IOException("this test's Os knows TCP_QUICKACK only, got " + level + "/" + option);
        }
        channel.setOption(jdk.net.ExtendedSocketOptions.TCP_QUICKACK, value != 0);
    }
}

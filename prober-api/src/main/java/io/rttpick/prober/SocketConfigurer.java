package io.rttpick.prober;

import java.io.IOException;
import java.nio.channels.SocketChannel;

/**
 * A hook an app uses to configure each probe socket that the java-socket probers ({@code connect}
 * and the Android prober) open, before its connect: traffic tagging for Android's StrictMode
 * ({@code TrafficStats.tagSocket(channel.socket())}), binding to a chosen network
 * ({@code Network.bindSocket(channel.socket())}). Called on the prober's event-loop thread: keep
 * it short. A failure fails that attempt ({@code ERROR}, its message in the sample), nothing else.
 * Native probers open their sockets without Java and do not call it.
 */
@FunctionalInterface
public interface SocketConfigurer {
    /** Leaves every socket as the prober made it. */
    SocketConfigurer NONE = channel -> { };

    void configure(SocketChannel channel) throws IOException;
}

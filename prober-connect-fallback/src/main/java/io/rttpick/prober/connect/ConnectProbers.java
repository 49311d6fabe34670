package io.rttpick.prober.connect;

import io.rttpick.prober.Prober;
import io.rttpick.prober.engine.EventLoopProber;

/** Probers over java.nio connects, for other modules that bring their own way to delay the ACK (Android). */
public final class ConnectProbers {
    private ConnectProbers() {
    }

    /** A prober named {@code name} whose sockets get {@code delayedAck} before their connect. */
    public static Prober create(String name, DelayedAck delayedAck) {
        return new EventLoopProber<>(name, new NioTransport(delayedAck));
    }

    /** What the runtime gives: TCP_QUICKACK through jdk.net where the JDK supports it (Linux), else nothing. */
    public static DelayedAck jdkDelayedAck() {
        return JdkDelayedAck.detect();
    }
}

package io.rttpick.examples;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC channel that connects to the nearest of its target's addresses ({@code docs/grpc.md}):
 * the {@code rttpick} policy, found by name. Pass a target, {@code dns:///host:port}; it prints how
 * long the channel took to be ready. Plaintext, for the example's local servers.
 */
public final class GrpcNearest {
    private GrpcNearest() {
    }

    public static void main(String[] args) throws InterruptedException {
        ManagedChannel channel = ManagedChannelBuilder.forTarget(args[0])
                .defaultLoadBalancingPolicy("rttpick")
                .usePlaintext()
                .build();
        try {
            long start = System.nanoTime();
            ConnectivityState state = channel.getState(true);           // connect now, as a first call would
            while (state != ConnectivityState.READY && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10)) {
                Thread.sleep(5);
                state = channel.getState(false);
            }
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.println(state == ConnectivityState.READY ? "channel to " + args[0] + ": READY after " + ms + " ms"
                    : "channel to " + args[0] + ": " + state + " after " + ms + " ms");
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}

package io.rttpick.grpc;

import io.grpc.ConnectivityState;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.LoadBalancerProvider;
import io.grpc.LoadBalancerRegistry;
import io.grpc.ManagedChannel;
import java.util.concurrent.TimeUnit;

/** A small gRPC client app that takes the policy by name: what GrpcShrunkConsumerTest shrinks and runs. */
public final class GrpcShrinkConsumer {
    private GrpcShrinkConsumer() {
    }

    /** {@code args[0]}: a target whose addresses serve gRPC. */
    public static void main(String[] args) throws Exception {
        LoadBalancerProvider policy = LoadBalancerRegistry.getDefaultRegistry().getProvider("rttpick");
        System.out.println("policy " + (policy == null ? "missing" : policy.getPolicyName()));

        ManagedChannel channel = Grpc.newChannelBuilder(args[0], InsecureChannelCredentials.create())
                .defaultLoadBalancingPolicy("rttpick").build();
        try {
            ConnectivityState state = channel.getState(true);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (state != ConnectivityState.READY && System.nanoTime() < until) {
                Thread.sleep(10);
                state = channel.getState(false);
            }
            System.out.println("state " + state);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}

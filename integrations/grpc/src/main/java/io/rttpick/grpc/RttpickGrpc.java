package io.rttpick.grpc;

import io.grpc.LoadBalancerRegistry;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one line an Android app adds before making channels. On Android grpc-java does not use
 * ServiceLoader for load-balancing policies (its {@code ServiceProviders} loads only the classes
 * it names, pick_first and round_robin, unless R8 rewrote the lookup), so the {@code rttpick}
 * policy must be registered by hand there: {@code RttpickGrpc.register()}, in
 * {@code Application.onCreate}. Safe to call twice, and harmless on a JVM, where ServiceLoader
 * finds the policy anyway.
 */
public final class RttpickGrpc {
    private static final AtomicBoolean REGISTERED = new AtomicBoolean();

    private RttpickGrpc() {
    }

    /**
     * Registers the default {@link RttpickLoadBalancerProvider} in grpc's default registry, once.
     *
     * @throws IllegalStateException naming the minimum grpc-java version when this one is older
     */
    public static void register() {
        String unsupported = GrpcVersion.unsupported();
        if (unsupported != null) {
            throw new IllegalStateException(unsupported);
        }
        if (REGISTERED.compareAndSet(false, true)) {
            LoadBalancerRegistry.getDefaultRegistry().register(new RttpickLoadBalancerProvider());
        }
    }
}

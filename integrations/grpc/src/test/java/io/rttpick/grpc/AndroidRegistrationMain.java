package io.rttpick.grpc;

import io.grpc.LoadBalancerProvider;
import io.grpc.LoadBalancerRegistry;

/** In a JVM where grpc takes its Android path: is "rttpick" found before and after {@link RttpickGrpc#register()}? */
public final class AndroidRegistrationMain {
    private AndroidRegistrationMain() {
    }

    public static void main(String[] args) {
        System.out.println("before " + name(LoadBalancerRegistry.getDefaultRegistry().getProvider("rttpick")));
        RttpickGrpc.register();
        RttpickGrpc.register(); // twice: harmless
        System.out.println("after " + name(LoadBalancerRegistry.getDefaultRegistry().getProvider("rttpick")));
        System.out.println("pick_first " + name(LoadBalancerRegistry.getDefaultRegistry().getProvider("pick_first")));
    }

    private static String name(LoadBalancerProvider p) {
        return p == null ? "none" : p.getClass().getSimpleName();
    }
}

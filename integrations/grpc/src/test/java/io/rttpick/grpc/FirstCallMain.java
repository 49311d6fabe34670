package io.rttpick.grpc;

import static io.rttpick.grpc.WhoamiServers.whoAnswers;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A fresh JVM's first call: {@code FirstCallMain POLICY PORT...} makes a channel over loopback
 * servers on those ports with that policy (the default provider, as an app gets it through
 * ServiceLoader), calls once and prints who answered. The parent times it from the JVM's start.
 */
public final class FirstCallMain {
    private FirstCallMain() {
    }

    public static void main(String[] args) throws Exception {
        List<InetSocketAddress> fleet = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            fleet.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[i])));
        }
        FixedResolver resolver = new FixedResolver(fleet);
        ManagedChannel channel = Grpc.newChannelBuilder(resolver.target(), InsecureChannelCredentials.create())
                .defaultLoadBalancingPolicy(args[0]).build();
        System.out.println("answered " + whoAnswers(channel));
        System.out.flush();
        channel.shutdownNow();
        System.exit(0);
    }
}

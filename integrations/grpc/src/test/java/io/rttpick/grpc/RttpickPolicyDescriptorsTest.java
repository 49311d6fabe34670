package io.rttpick.grpc;

import static io.rttpick.grpc.WhoamiServers.whoAnswers;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.LoadBalancerRegistry;
import io.grpc.ManagedChannel;
import io.rttpick.prober.Prober;
import io.rttpick.prober.Probers;
import io.rttpick.prober.testing.OpenFiles;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Real probes (the connect prober, half-open to loopback servers) and real channels: a shut-down channel leaves no descriptor, no thread. */
class RttpickPolicyDescriptorsTest {

    @Test
    void channelsShutDownLeaveNoDescriptorOpenAndNoThread() throws Exception {
        assumeTrue(OpenFiles.countable(), "needs /proc/self/fd");
        try (Prober prober = Probers.load().open(Optional.of("connect"));
             WhoamiServers servers = new WhoamiServers()) {
            RttpickLoadBalancerProvider provider = new RttpickLoadBalancerProvider(prober, b -> b).withPriority(9);
            LoadBalancerRegistry.getDefaultRegistry().register(provider);
            try (FixedResolver resolver = new FixedResolver(List.of(servers.start("a"), servers.start("b"), servers.start("c")))) {
                // warm: the transport's shared event loops start a thread per new channel up to 2 x cores, and the
                // prober's own descriptors open once; what is left after that is ours
                for (int i = 0; i < 8; i++) {
                    roundTrip(resolver);
                }
                int before = OpenFiles.count();
                int threadsBefore = Thread.activeCount();
                for (int i = 0; i < 50; i++) {
                    roundTrip(resolver);
                }
                int after = OpenFiles.awaitCount(n -> n <= before, Duration.ofSeconds(10));
                // fewer is fine (one of the warm-up's may close late); one more is a leak
                assertTrue(after <= before, "descriptors before and after 50 channels, each probing and calling once: "
                        + before + ", " + after);
                long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (Thread.activeCount() > threadsBefore && System.nanoTime() < until) {
                    Thread.sleep(20);
                }
                System.out.printf("50 channels opened and shut down: descriptors %d -> %d, threads %d -> %d%n", before, after,
                        threadsBefore, Thread.activeCount());
                assertTrue(Thread.activeCount() <= threadsBefore, "threads before and after 50 channels: " + threadsBefore + ", "
                        + Thread.activeCount());
            } finally {
                LoadBalancerRegistry.getDefaultRegistry().deregister(provider);
            }
        }
    }

    private static void roundTrip(FixedResolver resolver) throws InterruptedException {
        ManagedChannel channel = Grpc.newChannelBuilder(resolver.target(), InsecureChannelCredentials.create())
                .defaultLoadBalancingPolicy("rttpick").build();
        try {
            whoAnswers(channel);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}

package io.rttpick.grpc;

import static io.rttpick.grpc.WhoamiServers.WHOAMI;
import static io.rttpick.grpc.WhoamiServers.whoAnswers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.LoadBalancerRegistry;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.inprocess.InProcessSocketAddress;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Collection;
import java.util.Collections;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.rttpick.prober.Prober;
import io.rttpick.prober.Probers;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * pick_first's contracts on real channels and real servers on loopback, with real probes (the
 * connect prober, half-open): the pin stopped and restarted, a resolver update to a down server
 * while the connection in use drops, refreshes counted at the resolver, an in-process target.
 */
class GrpcContractsTest {
    private final WhoamiServers servers = new WhoamiServers();
    private Prober prober;
    private RttpickLoadBalancerProvider provider;

    @BeforeEach
    void register() {
        prober = Probers.load().open(Optional.of("connect"));
        provider = new RttpickLoadBalancerProvider(prober, b -> b).withPriority(9);
        LoadBalancerRegistry.getDefaultRegistry().register(provider);
    }

    @AfterEach
    void deregister() throws InterruptedException {
        LoadBalancerRegistry.getDefaultRegistry().deregister(provider);
        servers.close();
        prober.close();
    }

    @Test
    void thePinnedServerStoppedTheOthersServeWithin3sAndThePinIsBackAfterItRestarts() throws Exception {
        servers.start("a");
        servers.start("b");
        InetSocketAddress p = servers.start("pinned");
        try (FixedResolver resolver = new FixedResolver(servers.addresses("a", "pinned", "b"))) {
            Map<String, ?> config = Map.of("loadBalancingConfig", List.of(Map.of("rttpick", Map.of("pin", servers.key("pinned")))));
            ManagedChannel channel = Grpc.newChannelBuilder(resolver.target(), InsecureChannelCredentials.create())
                    .defaultServiceConfig(config).build();
            try {
                assertEquals("pinned", whoAnswers(channel));
                servers.stop("pinned");
                long stopped = System.nanoTime();
                String answer = awaitAnswer(channel, a -> !a.equals("pinned"), 10);
                long tookMs = (System.nanoTime() - stopped) / 1_000_000;
                System.out.printf("pinned server stopped: %s served after %d ms%n", answer, tookMs);
                assertTrue(tookMs < 3_000, "the others took " + tookMs + " ms to serve");
                servers.start("pinned", p.getPort());
                long restarted = System.nanoTime();
                awaitAnswer(channel, "pinned"::equals, 30);
                System.out.printf("pinned server restarted: back after %d ms (the backoff's steps: 1, 1.6, 2.6, 4.1 s ...)%n",
                        (System.nanoTime() - restarted) / 1_000_000);
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aWaitForReadyCallCompletesAfterAResolverUpdateToADownServerWhileTheConnectionInUseDrops() throws Exception {
        servers.start("a");
        int later = freePort();
        try (FixedResolver resolver = new FixedResolver(servers.addresses("a"))) {
            ManagedChannel channel = channel(resolver.target());
            try {
                assertEquals("a", whoAnswers(channel));
                InetSocketAddress down = new InetSocketAddress(servers.address("a").getAddress(), later);
                resolver.update(List.of(servers.address("a"), down)); // a second server, not up yet
                resolver.update(List.of(down)); // a leaves the list: the balancer moves to the down one
                Thread.sleep(300);
                servers.stop("a"); // the connection in use drops too
                Thread.sleep(500);
                servers.start("b", later);
                long start = System.nanoTime();
                String answer = ClientCalls.blockingUnaryCall(channel, WHOAMI,
                        CallOptions.DEFAULT.withWaitForReady().withDeadlineAfter(30, TimeUnit.SECONDS), "?");
                System.out.printf("wait-for-ready call answered by %s %d ms after the server started%n", answer,
                        (System.nanoTime() - start) / 1_000_000);
                assertEquals("b", answer);
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void nameResolutionIsRefreshedWhenTheConnectionInUseGoes() throws Exception {
        servers.start("a");
        servers.start("b");
        try (FixedResolver resolver = new FixedResolver(servers.addresses("a", "b"))) {
            ManagedChannel channel = channel(resolver.target());
            try {
                String first = whoAnswers(channel);
                int before = resolver.refreshes();
                servers.stop(first);
                await(() -> resolver.refreshes() > before, "a refresh() after the connection in use went away");
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void anInProcessTargetIsServedAsPickFirstWouldServeIt() throws Exception {
        String name = "rttpick-inprocess-" + System.nanoTime();
        ServerServiceDefinition service = ServerServiceDefinition.builder("rttpick.test.Fleet")
                .addMethod(WHOAMI, ServerCalls.asyncUnaryCall((request, answer) -> {
                    answer.onNext("in-process");
                    answer.onCompleted();
                }))
                .build();
        Server server = InProcessServerBuilder.forName(name).addService(service).build().start();
        InProcessResolver resolver = new InProcessResolver(new InProcessSocketAddress(name));
        NameResolverRegistry.getDefaultRegistry().register(resolver);
        ManagedChannel channel = InProcessChannelBuilder.forTarget(resolver.scheme + ":///" + name)
                .defaultLoadBalancingPolicy("rttpick").build();
        try {
            assertEquals("in-process", whoAnswers(channel));
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            NameResolverRegistry.getDefaultRegistry().deregister(resolver);
        }
    }

    /** A resolver answering one in-process address, as a service mesh or a test harness gives non-IP addresses. */
    private static final class InProcessResolver extends NameResolverProvider {
        final String scheme = "inproc-" + System.nanoTime();
        private final SocketAddress address;

        InProcessResolver(SocketAddress address) {
            this.address = address;
        }

        @Override
        public NameResolver newNameResolver(URI target, NameResolver.Args args) {
            if (!scheme.equals(target.getScheme())) {
                return null;
            }
            return new NameResolver() {
                @Override
                public String getServiceAuthority() {
                    return "inproc";
                }

                @Override
                public void start(Listener2 listener) {
                    args.getSynchronizationContext().execute(() -> listener.onResult2(ResolutionResult.newBuilder()
                            .setAddresses(List.of(new EquivalentAddressGroup(address))).build()));
                }

                @Override
                public void shutdown() {
                }
            };
        }

        @Override
        public String getDefaultScheme() {
            return scheme;
        }

        @Override
        protected boolean isAvailable() {
            return true;
        }

        @Override
        protected int priority() {
            return 5;
        }

        @Override
        public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
            return Collections.singleton(InProcessSocketAddress.class);
        }
    }

    private static ManagedChannel channel(String target) {
        return Grpc.newChannelBuilder(target, InsecureChannelCredentials.create()).defaultLoadBalancingPolicy("rttpick").build();
    }

    /** Calls until an answer {@code wanted} accepts comes, at most {@code seconds}; failed calls in between are fine. */
    private static String awaitAnswer(ManagedChannel channel, java.util.function.Predicate<String> wanted, int seconds)
            throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String last = null;
        while (System.nanoTime() < until) {
            try {
                last = ClientCalls.blockingUnaryCall(channel, WHOAMI, CallOptions.DEFAULT.withDeadlineAfter(1, TimeUnit.SECONDS), "?");
                if (wanted.test(last)) {
                    return last;
                }
            } catch (RuntimeException failed) {
                last = failed.toString();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no wanted answer in " + seconds + " s; the last: " + last);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < until, "waited 10 s for " + what);
            Thread.sleep(5);
        }
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}

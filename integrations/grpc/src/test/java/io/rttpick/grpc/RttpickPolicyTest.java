package io.rttpick.grpc;

import static io.rttpick.grpc.WhoamiServers.whoAnswers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ConnectivityState;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.LoadBalancerRegistry;
import io.grpc.ManagedChannel;
import io.grpc.NameResolver.ConfigOrError;
import io.rttpick.prober.testing.ScriptedProber;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The policy with real channels and real servers on loopback, the selector's clock virtual: the
 * scripted prober answers after the RTTs the test gives, in virtual time the test advances.
 */
class RttpickPolicyTest {
    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final ScriptedProber prober = new ScriptedProber(time);
    private final SplittableRandom random = new SplittableRandom(7);
    private final WhoamiServers servers = new WhoamiServers();
    private final RttpickLoadBalancerProvider provider =
            new RttpickLoadBalancerProvider(prober, b -> b.clock(() -> time).random(random::nextInt), random::nextInt).withPriority(9);

    @BeforeEach
    void register() {
        LoadBalancerRegistry.getDefaultRegistry().register(provider);
    }

    @AfterEach
    void deregister() throws InterruptedException {
        LoadBalancerRegistry.getDefaultRegistry().deregister(provider);
        servers.close();
        time.dispose();
    }

    @Test
    void grpcFindsThePolicyByItsNameThroughServiceLoader() {
        LoadBalancerRegistry.getDefaultRegistry().deregister(provider);
        assertInstanceOf(RttpickLoadBalancerProvider.class, LoadBalancerRegistry.getDefaultRegistry().getProvider("rttpick"));
        LoadBalancerRegistry.getDefaultRegistry().register(provider);
        assertEquals(provider, LoadBalancerRegistry.getDefaultRegistry().getProvider("rttpick"), "the higher priority wins");
    }

    @Test
    void aThousandChannelsAllConnectToTheFastestServer() throws Exception {
        seedFleet();
        try (FixedResolver resolver = new FixedResolver(servers.addresses("dead", "hongkong", "iowa", "amsterdam"))) {
            Map<String, Integer> answered = new TreeMap<>();
            List<ManagedChannel> open = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 1000; i++) {
                    ManagedChannel channel = channel(resolver.target());
                    open.add(channel);
                    answered.merge(firstAnswer(channel), 1, Integer::sum);
                }
            } finally {
                for (ManagedChannel channel : open) {
                    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }
            }
            assertEquals(Map.of("amsterdam", 1000), answered);
            assertEquals(1, prober.calls(), "the channels share the fleet's selector: one probe for all");
        }
    }

    @Test
    void amongEqualServersChannelsSpread() throws Exception {
        for (String name : List.of("a", "b", "c")) {
            servers.start(name);
            prober.set(servers.key(name), 30);
        }
        try (FixedResolver resolver = new FixedResolver(servers.addresses("a", "b", "c"))) {
            long[] counts = new long[3];
            int n = 300;
            for (int i = 0; i < n; i++) {
                ManagedChannel channel = channel(resolver.target());
                try {
                    counts["abc".indexOf(firstAnswer(channel))]++;
                } finally {
                    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }
            }
            double chi = 0;
            for (long c : counts) {
                chi += (c - n / 3.0) * (c - n / 3.0) / (n / 3.0);
            }
            double p = Math.exp(-chi / 2); // the chi-square tail for 2 degrees of freedom
            assertTrue(p > 0.05, Arrays.toString(counts) + ": chi-square " + chi + ", p " + p);
        }
    }

    @Test
    void whenTheChosenServerStopsTheNextCallGoesToTheNextChoiceAndTheStoppedOneCoolsOff() throws Exception {
        seedFleet();
        try (FixedResolver resolver = new FixedResolver(servers.addresses("hongkong", "iowa", "amsterdam"))) {
            ManagedChannel channel = channel(resolver.target());
            try {
                assertEquals("amsterdam", firstAnswer(channel));
                int port = servers.address("amsterdam").getPort();
                servers.stop("amsterdam");
                // calls picked while the connection is going away fail with it (UNAVAILABLE, as with any
                // policy); the next call after the channel saw it go is the one that must find Iowa
                await(() -> channel.getState(false) != ConnectivityState.READY, "the channel to see Amsterdam go");
                long start = System.nanoTime();
                assertEquals("iowa", whoAnswers(channel), "the next choice, from the ranking");
                long tookMillis = (System.nanoTime() - start) / 1_000_000;
                assertTrue(tookMillis < 5_000, "failover took " + tookMillis + " ms");
                assertEquals(1, prober.calls(), "failover does not wait for a probe");

                servers.start("amsterdam", port); // back, but cooling off
                servers.stop("iowa");
                await(() -> channel.getState(false) != ConnectivityState.READY, "the channel to see Iowa go");
                assertEquals("hongkong", whoAnswers(channel), "Amsterdam cools off: not chosen again yet");
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void whenTheResolverDropsTheChosenAddressTheChannelMovesToTheNextBest() throws Exception {
        seedFleet();
        try (FixedResolver resolver = new FixedResolver(servers.addresses("hongkong", "iowa", "amsterdam"))) {
            ManagedChannel channel = channel(resolver.target());
            try {
                assertEquals("amsterdam", firstAnswer(channel));
                resolver.update(servers.addresses("iowa", "hongkong"));
                await(() -> "iowa".equals(whoAnswers(channel)), "calls going to Iowa after Amsterdam left the resolver's list");
                resolver.update(servers.addresses("hongkong"));
                await(() -> "hongkong".equals(whoAnswers(channel)), "calls going to Hong Kong, the only one left");
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aPinInTheServiceConfigIsUsedWithoutProbing() throws Exception {
        seedFleet();
        try (FixedResolver resolver = new FixedResolver(servers.addresses("hongkong", "iowa", "amsterdam"))) {
            Map<String, ?> config = Map.of("loadBalancingConfig", List.of(Map.of("rttpick", Map.of("pin", servers.key("hongkong")))));
            ManagedChannel channel = Grpc.newChannelBuilder(resolver.target(), InsecureChannelCredentials.create())
                    .defaultServiceConfig(config).build();
            try {
                assertEquals("hongkong", whoAnswers(channel));
                assertEquals(0, prober.calls());
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void theConfigsKeysAreCheckedAndNamed() {
        ConfigOrError ok = provider.parseLoadBalancingPolicyConfig(Map.of("pin", "10.0.0.7:443", "probeTimeoutMs", 800.0));
        assertNull(ok.getError());
        RttpickPolicyConfig config = (RttpickPolicyConfig) ok.getConfig();
        assertEquals("10.0.0.7:443", config.pin());
        assertEquals(Duration.ofMillis(800), config.probeTimeout());
        assertEquals(RttpickPolicyConfig.DEFAULT_COOL_OFF, config.coolOff());
        assertNull(provider.parseLoadBalancingPolicyConfig(Map.of("someFutureKey", true)).getError(), "unknown keys are ignored");

        ConfigOrError bad = provider.parseLoadBalancingPolicyConfig(Map.of("probeTimeoutMs", "fast"));
        assertNotNull(bad.getError());
        assertTrue(bad.getError().getDescription().contains("'probeTimeoutMs'"), bad.getError().toString());
        assertNotNull(provider.parseLoadBalancingPolicyConfig(Map.of("pin", 7.0)).getError());
        assertNotNull(provider.parseLoadBalancingPolicyConfig(Map.of("coolOffMs", -1.0)).getError());
    }

    @Test
    void withNoAnswerToTheProbeTheResolversFirstAddressIsUsed() throws Exception {
        servers.start("first");
        servers.start("second"); // neither answers the (scripted) probe
        try (FixedResolver resolver = new FixedResolver(servers.addresses("second", "first"))) {
            ManagedChannel channel = channel(resolver.target());
            try {
                assertEquals("second", firstAnswer(channel));
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aSingleAddressIsUsed() throws Exception {
        servers.start("only");
        prober.set(servers.key("only"), 10);
        try (FixedResolver resolver = new FixedResolver(servers.addresses("only"))) {
            ManagedChannel channel = channel(resolver.target());
            try {
                assertEquals("only", firstAnswer(channel));
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    /** Amsterdam 29 ms, Iowa 127, Hong Kong 279, and a server that never answers. */
    private void seedFleet() throws Exception {
        servers.start("amsterdam");
        servers.start("iowa");
        servers.start("hongkong");
        servers.start("dead");
        prober.set(servers.key("amsterdam"), 29).set(servers.key("iowa"), 127).set(servers.key("hongkong"), 279);
    }

    private static ManagedChannel channel(String target) {
        return Grpc.newChannelBuilder(target, InsecureChannelCredentials.create()).defaultLoadBalancingPolicy("rttpick").build();
    }

    /**
     * The first call of a new channel: it waits while the probe runs, and the test moves the probe's
     * virtual time on once the probe has set its timers, until the call is answered.
     */
    private String firstAnswer(ManagedChannel channel) throws Exception {
        int before = prober.subscribed();
        CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> whoAnswers(channel));
        await(() -> prober.subscribed() > before || answer.isDone(), "the policy's probe");
        for (int step = 0; step < 200 && !answer.isDone(); step++) {
            time.advanceTimeBy(Duration.ofMillis(5));
        }
        return answer.get(10, TimeUnit.SECONDS);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < until, "waited 10 s for " + what);
            Thread.sleep(1);
        }
    }
}

package io.rttpick.fleettests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ConnectivityState;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.LoadBalancerRegistry;
import io.grpc.ManagedChannel;
import io.rttpick.fleet.tun.ConnectionRecord;
import io.rttpick.fleet.tun.FleetPlan;
import io.rttpick.fleet.tun.FleetPlan.Mode;
import io.rttpick.fleet.tun.FleetPlan.Unreachable;
import io.rttpick.fleet.tun.TunFleet;
import io.rttpick.grpc.FixedResolver;
import io.rttpick.grpc.RttpickLoadBalancerProvider;
import io.rttpick.okhttp.RttpickOkHttp;
import io.rttpick.prober.Prober;
import io.rttpick.prober.linux.LinuxEpollProberProvider;
import io.rttpick.prober.testing.FleetNamespace;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/**
 * The integrations on the simulated seed fleet (half-open probes to delayed servers; every
 * completed connection is reset, there being no server behind them): the gRPC policy connects to
 * Amsterdam, then Iowa, then Hong Kong as each fails; OkHttp's Dns orders the addresses Amsterdam,
 * Iowa, Hong Kong, the silent one last.
 */
class IntegrationsOnFleetTest {
    private static final int PORT = 993;
    private static final String AMS = "198.18.0.29";
    private static final String IOWA = "198.18.1.27";
    private static final String HK = "198.18.2.79";
    private static final String DEAD = "198.18.3.1";

    private static FleetPlan seed() {
        return new FleetPlan()
                .add("Amsterdam", AMS, Mode.OPEN, Duration.ofMillis(29), Duration.ZERO, Unreachable.PORT)
                .add("Iowa", IOWA, Mode.OPEN, Duration.ofMillis(127), Duration.ZERO, Unreachable.PORT)
                .add("Hong Kong", HK, Mode.OPEN, Duration.ofMillis(279), Duration.ZERO, Unreachable.PORT)
                .add("dead", DEAD, Mode.BLACKHOLE, Duration.ZERO);
    }

    /** The resolver's order puts the fastest last, so that no order of its own can pass for the choice. */
    private static List<InetAddress> resolved() throws Exception {
        List<InetAddress> out = new ArrayList<>();
        for (String a : List.of(HK, DEAD, IOWA, AMS)) {
            out.add(InetAddress.getByName(a));
        }
        return out;
    }

    @Test
    void theGrpcPolicyConnectsToAmsterdamThenIowaThenHongKong() throws Exception {
        String device = FleetNamespace.requireDevice();
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (InetAddress a : resolved()) {
            addresses.add(new InetSocketAddress(a, PORT));
        }
        try (TunFleet fleet = TunFleet.start(seed(), device);
             Prober prober = new LinuxEpollProberProvider().create();
             FixedResolver resolver = new FixedResolver(addresses)) {
            RttpickLoadBalancerProvider policy = new RttpickLoadBalancerProvider(prober, b -> b).withPriority(9);
            LoadBalancerRegistry.getDefaultRegistry().register(policy);
            ManagedChannel channel = Grpc.newChannelBuilder(resolver.target(), InsecureChannelCredentials.create())
                    .defaultLoadBalancingPolicy("rttpick").build();
            try {
                channel.getState(true); // connect now, as a first call would
                List<String> connected = awaitCompletedHandshakes(fleet, 3);
                System.out.println("gRPC policy on the seed fleet, the servers connected to in order: " + connected);
                assertTrue(connected.size() >= 3, "connections so far: " + connected + "; " + fleet.records());
                assertEquals(List.of("Amsterdam", "Iowa", "Hong Kong"), connected.subList(0, 3), "every connection: " + fleet.records());
                assertTrue(channel.getState(false) != ConnectivityState.READY);
            } finally {
                channel.shutdownNow();
                LoadBalancerRegistry.getDefaultRegistry().deregister(policy);
            }
        }
    }

    @Test
    void okHttpsDnsOrdersTheSeedFleetAmsterdamIowaHongKong() throws Exception {
        String device = FleetNamespace.requireDevice();
        List<InetAddress> resolved = resolved();
        try (TunFleet fleet = TunFleet.start(seed(), device);
             Prober prober = new LinuxEpollProberProvider().create();
             RttpickOkHttp rttpick = RttpickOkHttp.builder(prober).port(PORT).probeTimeout(Duration.ofMillis(350)).build()) {
            OkHttpClient client = rttpick.install(new OkHttpClient.Builder().dns(host -> resolved).build());
            List<String> first = names(client.dns().lookup("seed.test"));
            assertEquals("Amsterdam", first.get(0), "at the early decision: " + first);
            Thread.sleep(500); // the probe's slower answers: the ranking complete
            List<String> order = names(client.dns().lookup("seed.test"));
            System.out.println("OkHttp Dns on the seed fleet: " + first + " at the early decision, then " + order);
            assertEquals(List.of("Amsterdam", "Iowa", "Hong Kong", "dead"), order);
        }
    }

    /** The servers the client completed a handshake with (ACK, not a probe's RST), in order, once there are {@code n} (20 s at most). */
    private static List<String> awaitCompletedHandshakes(TunFleet fleet, int n) throws InterruptedException {
        List<String> connected = List.of();
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (connected.size() < n && System.nanoTime() < until) {
            Thread.sleep(20);
            connected = fleet.records().stream().filter(r -> r.clientReply() == ConnectionRecord.ClientReply.ACK)
                    .map(r -> r.server.name).collect(Collectors.toList());
        }
        return connected;
    }

    private static List<String> names(List<InetAddress> addresses) {
        List<String> out = new ArrayList<>();
        for (InetAddress a : addresses) {
            String ip = a.getHostAddress();
            out.add(ip.equals(AMS) ? "Amsterdam" : ip.equals(IOWA) ? "Iowa" : ip.equals(HK) ? "Hong Kong" : "dead");
        }
        return out;
    }
}

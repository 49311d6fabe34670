package io.rttpick.grpc;

import static io.rttpick.grpc.WhoamiServers.whoAnswers;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.LoadBalancerRegistry;
import io.grpc.ManagedChannel;
import io.rttpick.prober.Prober;
import io.rttpick.prober.Probers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Prints a new channel's first-call latency with {@code pick_first} and with {@code rttpick}, side
 * by side in one run, real probes to three loopback servers (the figure docs/grpc.md quotes). A
 * figure, not a timed assertion: only that every call was answered is checked.
 */
class FirstCallLatencyTest {
    private static final int CHANNELS = 50;

    @Test
    void printsTheFirstCallsLatencyOfBothPolicies() throws Exception {
        try (Prober prober = Probers.load().open(Optional.of("connect"));
             WhoamiServers servers = new WhoamiServers()) {
            RttpickLoadBalancerProvider provider = new RttpickLoadBalancerProvider(prober, b -> b).withPriority(9);
            LoadBalancerRegistry.getDefaultRegistry().register(provider);
            try (FixedResolver resolver = new FixedResolver(List.of(servers.start("a"), servers.start("b"), servers.start("c")))) {
                firstCallMicros(resolver, "pick_first"); // warm both paths up
                firstCallMicros(resolver, "rttpick");
                List<Long> pickFirst = new ArrayList<>();
                List<Long> rttpick = new ArrayList<>();
                for (int i = 0; i < CHANNELS; i++) {
                    pickFirst.add(firstCallMicros(resolver, "pick_first"));
                    rttpick.add(firstCallMicros(resolver, "rttpick"));
                }
                System.out.printf(Locale.ROOT, "first call of a new channel, three loopback servers, %d channels each:"
                        + " pick_first median %.2f ms, p90 %.2f ms; rttpick median %.2f ms, p90 %.2f ms%n", CHANNELS,
                        percentile(pickFirst, 50), percentile(pickFirst, 90), percentile(rttpick, 50), percentile(rttpick, 90));
                assertEquals(CHANNELS, rttpick.size());
            } finally {
                LoadBalancerRegistry.getDefaultRegistry().deregister(provider);
            }
        }
    }

    /**
     * From a fresh JVM's start to its first answer, with each policy, fresh JVMs alternating (the
     * default provider, as an app gets it: the best prober here, found and checked at the first
     * channel). Printed for docs/grpc.md; only the answers are checked.
     */
    @Test
    void printsTheFirstCallOfAFreshJvmWithBothPolicies() throws Exception {
        int runs = Integer.getInteger("rttpick.firstCallJvms", 10);
        try (WhoamiServers servers = new WhoamiServers()) {
            List<String> ports = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                ports.add(Integer.toString(servers.start(name).getPort()));
            }
            List<Long> pickFirst = new ArrayList<>();
            List<Long> rttpick = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                pickFirst.add(freshJvmMillis("pick_first", ports));
                rttpick.add(freshJvmMillis("rttpick", ports));
            }
            System.out.printf(Locale.ROOT, "first call from a fresh JVM's start, three loopback servers, %d JVMs each, alternating:"
                    + " pick_first median %.0f ms (%s), rttpick median %.0f ms (%s)%n", runs,
                    percentile(pickFirst, 50) * 1000, pickFirst, percentile(rttpick, 50) * 1000, rttpick);
        }
    }

    /** Milliseconds from starting a JVM to its first answer's line. */
    private static long freshJvmMillis(String policy, List<String> ports) throws Exception {
        List<String> command = new ArrayList<>(List.of(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), FirstCallMain.class.getName(), policy));
        command.addAll(ports);
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        long answered = -1;
        for (String line; (line = out.readLine()) != null; ) {
            seen.append(line).append('\n');
            if (line.startsWith("answered ")) {
                answered = (System.nanoTime() - start) / 1_000_000;
            }
        }
        p.waitFor(30, TimeUnit.SECONDS);
        if (answered < 0) {
            throw new AssertionError(policy + ": no answer from the fresh JVM:\n" + seen);
        }
        return answered;
    }

    private static long firstCallMicros(FixedResolver resolver, String policy) throws InterruptedException {
        long start = System.nanoTime();
        ManagedChannel channel = Grpc.newChannelBuilder(resolver.target(), InsecureChannelCredentials.create())
                .defaultLoadBalancingPolicy(policy).build();
        try {
            whoAnswers(channel);
            return (System.nanoTime() - start) / 1000;
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static double percentile(List<Long> micros, int p) {
        List<Long> sorted = new ArrayList<>(micros);
        Collections.sort(sorted);
        return sorted.get(Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)) / 1000.0;
    }
}

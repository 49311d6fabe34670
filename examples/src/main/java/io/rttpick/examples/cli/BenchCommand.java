package io.rttpick.examples.cli;

import io.rttpick.fleet.capture.WireCapture;
import io.rttpick.fleet.tun.ConnectionRecord;
import io.rttpick.fleet.tun.FleetGrid;
import io.rttpick.fleet.tun.TunFleet;
import io.rttpick.prober.ProbeEvent;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.prober.Probers;
import io.rttpick.prober.RttSample;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code rttpick bench}: probes N simulated servers at once (delays 1..300 ms) and prints, per
 * prober and N, the error against the client's own wire (tcpdump on the TUN device) and against
 * the fleet's record, how handshakes ended on the wire, failures, wall time, the prober threads'
 * CPU time and allocation, heap growth while all are in flight, and the fleet's own lateness.
 * Runs inside the fleet's namespace (the launcher takes it there; root).
 */
final class BenchCommand {
    static final String USAGE = "rttpick bench [--prober NAME] [--servers N]";
    private static final int[] DEFAULT_SIZES = {1, 100, 1_000, 10_000};

    private final PrintStream out;
    private final Probers probers;

    BenchCommand(PrintStream out, Probers probers) {
        this.out = out;
        this.probers = probers;
    }

    int run(List<String> args, Map<String, String> env) throws Exception {
        Optional<String> proberName = Optional.empty();
        int[] sizes = DEFAULT_SIZES;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if ((a.equals("--prober") || a.equals("--servers")) && i + 1 >= args.size()) {
                throw new UsageException(a + " needs a value");
            }
            if (a.equals("--prober")) {
                proberName = Optional.of(args.get(++i));
            } else if (a.equals("--servers")) {
                sizes = new int[] {servers(args.get(++i))};
            } else {
                throw new UsageException("unknown bench option " + a + " (usage: " + USAGE + ")");
            }
        }
        String device = env.get("RTTPICK_FLEET_DEVICE");
        if (device == null) {
            throw new UsageException("bench needs the simulated fleet: "
                    + env.getOrDefault("RTTPICK_FLEET_UNAVAILABLE", "run it through ./rttpick, as root"));
        }
        List<String> names = new ArrayList<>();
        if (proberName.isPresent()) {
            names.add(probers.choose(proberName).name());
        } else {
            probers.candidates().stream().filter(Probers.Candidate::available).forEach(c -> names.add(c.name()));
        }
        int largest = Arrays.stream(sizes).max().orElse(1);
        List<Run> runs = new ArrayList<>();
        try (TunFleet fleet = TunFleet.start(FleetGrid.plan(largest), device);
             WireCapture wire = WireCapture.start(device)) {
            out.printf(Locale.ROOT, "fleet: %d servers behind %s, delays 1..300 ms; truth: tcpdump on %s%n", largest, device, device);
            int port = 20_000;
            for (String name : names) {
                try (Prober prober = probers.choose(Optional.of(name)).create()) {
                    warmUp(prober);
                    for (int n : sizes) {
                        runs.add(measure(prober, n, port++));
                    }
                }
            }
            Map<String, List<WireCapture.Connection>> seen = WireCapture.byServer(wire.stop());
            for (Run run : runs) {
                report(run, seen, fleet.records());
            }
        }
        return 0;
    }

    private static int servers(String text) throws UsageException {
        try {
            int n = Integer.parseInt(text);
            if (n >= 1 && n <= FleetGrid.MAX_SERVERS) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException("--servers needs a whole number from 1 to " + FleetGrid.MAX_SERVERS + ", got '" + text + "'");
    }

    /** One probe to a port no run uses, so the first figures are not a cold JVM's. */
    private static void warmUp(Prober prober) {
        prober.probe(List.of(FleetGrid.address(0) + ":19999"), ProbeOptions.builder().build()).blockLast(Duration.ofSeconds(10));
    }

    private static final class Run {
        String prober;
        int servers;
        int port;
        List<RttSample> samples;
        long wallNanos;
        long cpuNanos;
        long allocatedBytes;
        long heapGrowthBytes;
    }

    private Run measure(Prober prober, int n, int port) {
        List<String> addresses = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            addresses.add(FleetGrid.address(i) + ":" + port);
        }
        ProbeOptions options = ProbeOptions.builder().timeout(Duration.ofSeconds(3)).maxInFlight(n).build();
        ThreadStats before = ThreadStats.of(prober.name());
        System.gc();
        long heapBefore = heapUsed();
        AtomicLong heapAllStarted = new AtomicLong(heapBefore);
        AtomicInteger started = new AtomicInteger();
        long start = System.nanoTime();
        List<RttSample> samples = new ArrayList<>(n);
        prober.events(addresses, options).doOnNext(e -> {
            if (e instanceof ProbeEvent.Started && started.incrementAndGet() == n) {
                heapAllStarted.set(heapUsed());
            } else if (e instanceof ProbeEvent.Completed) {
                samples.add(((ProbeEvent.Completed) e).sample());
            }
        }).blockLast(Duration.ofMinutes(2));
        long wall = System.nanoTime() - start;
        ThreadStats after = ThreadStats.of(prober.name());
        Run run = new Run();
        run.prober = prober.name();
        run.servers = n;
        run.port = port;
        run.samples = samples;
        run.wallNanos = wall;
        run.cpuNanos = after.cpuNanos - before.cpuNanos;
        run.allocatedBytes = after.allocatedBytes - before.allocatedBytes;
        run.heapGrowthBytes = Math.max(0, heapAllStarted.get() - heapBefore);
        return run;
    }

    private void report(Run run, Map<String, List<WireCapture.Connection>> wire, List<ConnectionRecord> records) {
        Map<String, ConnectionRecord> byServer = new HashMap<>();
        for (ConnectionRecord r : records) {
            if (r.serverPort == run.port) {
                byServer.put(r.server.address.getHostAddress(), r);
            }
        }
        List<Long> vsWire = new ArrayList<>();
        List<Long> vsFleet = new ArrayList<>();
        List<Long> lateness = new ArrayList<>();
        int ok = 0;
        int rst = 0;
        int ack = 0;
        int retransmitted = 0;
        long largestPlanned = 0;
        for (RttSample s : run.samples) {
            InetAddress server = s.resolved().orElseThrow().getAddress();
            largestPlanned = Math.max(largestPlanned, FleetGrid.delay(s.index()).toMillis());
            List<WireCapture.Connection> seen = wire.getOrDefault(WireCapture.serverKey(server, run.port), List.of());
            WireCapture.Connection c = seen.size() == 1 ? seen.get(0) : null;
            if (c != null) {
                rst += c.reply.equals("RST") ? 1 : 0;
                ack += c.reply.equals("ACK") ? 1 : 0;
                retransmitted += c.syns > 1 ? 1 : 0;
            }
            ConnectionRecord r = byServer.get(server.getHostAddress());
            if (r != null && r.answered()) {
                lateness.add(r.latenessNanos() / 1_000);
            }
            if (!s.isOk()) {
                continue;
            }
            ok++;
            long rtt = s.rttMicros().getAsLong();
            if (c != null && c.rttMicros() >= 0) {
                vsWire.add(Math.abs(rtt - c.rttMicros()));
            }
            if (r != null && r.answered()) {
                vsFleet.add(Math.abs(rtt - r.appliedDelayMicros()));
            }
        }
        out.printf(Locale.ROOT, "%n%s, %d servers: OK %d/%d, wall %d ms (largest RTT %d ms), prober CPU %d ms, "
                        + "allocated %.1f KB/probe%s%n",
                run.prober, run.servers, ok, run.samples.size(), run.wallNanos / 1_000_000, largestPlanned,
                run.cpuNanos / 1_000_000, run.allocatedBytes / 1024.0 / run.servers,
                // below 1,000 probes the heap's own noise is larger than what they hold
                run.servers < 1_000 ? "" : String.format(Locale.ROOT, ", heap growth with all in flight %.1f KB/probe",
                        run.heapGrowthBytes / 1024.0 / run.servers));
        out.println("  |error| vs the wire (us):        " + stats(vsWire));
        out.println("  |error| vs the fleet record (us): " + stats(vsFleet));
        out.printf(Locale.ROOT, "  after the SYN-ACK, on the wire: RST %d, ACK %d; SYN retransmitted: %d%n", rst, ack, retransmitted);
        out.println("  fleet lateness past due (us):    " + stats(lateness));
    }

    static String stats(List<Long> values) {
        if (values.isEmpty()) {
            return "none";
        }
        long[] v = values.stream().mapToLong(Long::longValue).sorted().toArray();
        return String.format(Locale.ROOT, "median %d, p90 %d, p99 %d, max %d (n=%d)",
                v[v.length / 2], v[(int) Math.min(v.length - 1, Math.ceil(v.length * 0.9) - 1)],
                v[(int) Math.min(v.length - 1, Math.ceil(v.length * 0.99) - 1)], v[v.length - 1], v.length);
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** CPU time and allocation of a prober's own threads (its event loop and delivery thread). */
    private static final class ThreadStats {
        long cpuNanos;
        long allocatedBytes;

        static ThreadStats of(String proberName) {
            ThreadStats t = new ThreadStats();
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (thread.getName().startsWith("rttpick-" + proberName + "-")) {
                    t.cpuNanos += Math.max(0, threads.getThreadCpuTime(thread.getId()));
                    t.allocatedBytes += Math.max(0, threads.getThreadAllocatedBytes(thread.getId()));
                }
            }
            return t;
        }
    }
}

package io.rttpick.bench;

import io.rttpick.cli.Command;
import io.rttpick.cli.Console;
import io.rttpick.cli.Options;
import io.rttpick.cli.Output;
import io.rttpick.cli.UsageException;
import io.rttpick.fleet.capture.WireCapture;
import io.rttpick.fleet.tun.ConnectionRecord;
import io.rttpick.fleet.tun.FleetGrid;
import io.rttpick.fleet.tun.FleetPlan;
import io.rttpick.fleet.tun.PlanFile;
import io.rttpick.fleet.tun.TunFleet;
import io.rttpick.prober.ProbeEvent;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.prober.Probers;
import io.rttpick.prober.RttSample;
import io.rttpick.prober.SocketAddresses;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code rttpick bench}: probes N simulated servers at once (delays 1..300 ms) and prints, per
 * prober and N, the error against the client's own wire (tcpdump on the TUN device) and against
 * the fleet's record, how handshakes ended on the wire, failures, wall time, the prober threads'
 * CPU time and allocation, the memory a probe holds in flight, and the fleet's own lateness.
 * {@code --plan FILE} benchmarks the servers of a plan file instead of the grid.
 * Runs inside the fleet's namespace (the launcher takes it there; root).
 */
public final class BenchCommand implements Command {
    /** Below this many probes the heap's own noise (the capture, the fleet's records) is larger than what they hold. */
    private static final int RETAINED_MIN_PROBES = 10_000;
    static final String USAGE = "rttpick bench [--prober NAME] [--servers N] [--plan FILE] [--no-capture]";
    private static final int[] DEFAULT_SIZES = {1, 100, 1_000, 10_000};
    /** Probes of the one-server case, one after another, each on a port of its own. */
    static final int SINGLE_SERVER_ROUNDS = 101;

    private final PrintStream out;
    private final Probers probers;

    /** For ServiceLoader: the stream and probers come with each run. */
    public BenchCommand() {
        this(null, null);
    }

    BenchCommand(PrintStream out, Probers probers) {
        this.out = out;
        this.probers = probers;
    }

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public String summary() {
        return "accuracy, time, CPU and memory on 1..40,000 simulated servers (root)";
    }

    @Override
    public String optionsHelp() {
        return new Parsed().options().help();
    }

    @Override
    public int run(List<String> args, Console console) throws Exception {
        return new BenchCommand(console.out(), console.probers()).run(args, console.env());
    }

    /** What the options set, filled through their table. */
    private static final class Parsed {
        Optional<String> proberName = Optional.empty();
        int[] sizes = DEFAULT_SIZES;
        FleetPlan customPlan;
        boolean capture = true;

        Options options() {
            return new Options("bench")
                    .value("--prober", "NAME", "only this prober (default: every available one)", v -> proberName = Optional.of(v))
                    .value("--servers", "N", "only this many servers, 1..40000 (default 1, 100, 1000 and 10000)", v
                            -> sizes = new int[] {servers(v)})
                    .value("--plan", "FILE", "the servers of a plan file instead of the grid", v -> customPlan = plan(v))
                    // speed without tcpdump tapping every packet; no truth from the wire then
                    .flag("--no-capture", "no tcpdump on the device: faster, but no error against the wire", () -> capture = false)
                    .unknownOption(name -> "unknown bench option " + Output.printable(name) + " (usage: " + USAGE + ")");
        }
    }

    int run(List<String> args, Map<String, String> env) throws Exception {
        Parsed parsed = new Parsed();
        parsed.options().parse(args);
        Optional<String> proberName = parsed.proberName;
        int[] sizes = parsed.sizes;
        FleetPlan customPlan = parsed.customPlan;
        boolean capture = parsed.capture;
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
        FleetPlan plan;
        if (customPlan != null) {
            plan = customPlan;
            // with a plan: its servers, all of them unless --servers asks for fewer
            int n = plan.servers().size();
            sizes = new int[] {sizes == DEFAULT_SIZES ? n : Math.min(n, sizes[0])};
        } else {
            plan = FleetGrid.plan(Arrays.stream(sizes).max().orElse(1));
        }
        List<Run> runs = new ArrayList<>();
        try (TunFleet fleet = TunFleet.start(plan, device);
             WireCapture wire = capture ? WireCapture.start(device) : null) {
            out.printf(Locale.ROOT, "fleet: %s behind %s; truth: %s%n",
                    customPlan != null ? plan.servers().size() + " servers of the plan" : plan.servers().size()
                            + " servers, delays 1..300 ms", device, capture ? "tcpdump on " + device : "none (--no-capture)");
            int port = 20_000;
            for (String name : names) {
                try (Prober prober = probers.choose(Optional.of(name)).create()) {
                    warmUp(prober);
                    for (int n : sizes) {
                        // one server: a single sample is no distribution, so it is probed again and again, alone in flight each time
                        int rounds = n == 1 ? SINGLE_SERVER_ROUNDS : 1;
                        Run run = measure(prober, plan.servers().subList(0, n), port, rounds);
                        port += rounds;
                        run.retainedBytes = n < RETAINED_MIN_PROBES ? -1 : retained(prober, plan, n, port++);
                        runs.add(run);
                    }
                }
            }
            Map<String, List<WireCapture.Connection>> seen = wire == null ? Map.of() : WireCapture.byServer(wire.stop());
            for (Run run : runs) {
                report(run, wire != null, seen, fleet.records());
            }
        }
        return 0;
    }

    private static FleetPlan plan(String file) throws UsageException {
        try {
            return PlanFile.read(Path.of(file));
        } catch (IOException e) {
            throw new UsageException("cannot read --plan " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
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
        int rounds;
        List<Integer> ports;
        List<RttSample> samples;
        long wallNanos;
        long cpuNanos;
        long userNanos;
        long allocatedBytes;
        long retainedBytes;
        List<FleetPlan.Server> planned;
    }

    /** {@code rounds} calls one after another, each probing every server on the next port. */
    private Run measure(Prober prober, List<FleetPlan.Server> servers, int firstPort, int rounds) {
        int n = servers.size();
        List<RttSample> samples = new ArrayList<>(n * rounds);
        List<Integer> ports = new ArrayList<>(rounds);
        long wall = 0;
        // what earlier runs (and the fleet's set-up) left behind is collected now, not in a pause inside the timed run
        fullGc();
        ThreadStats before = ThreadStats.of(prober.name());
        for (int round = 0; round < rounds; round++) {
            int port = firstPort + round;
            ports.add(port);
            List<String> addresses = new ArrayList<>(n);
            for (FleetPlan.Server server : servers) {
                addresses.add(SocketAddresses.format(new InetSocketAddress(server.address, port)));
            }
            ProbeOptions options = ProbeOptions.builder().timeout(Duration.ofSeconds(3)).maxInFlight(n).build();
            long start = System.nanoTime();
            prober.events(addresses, options).doOnNext(e -> {
                if (e instanceof ProbeEvent.Completed) {
                    samples.add(((ProbeEvent.Completed) e).sample());
                }
            }).blockLast(Duration.ofMinutes(2));
            wall += System.nanoTime() - start;
        }
        ThreadStats after = ThreadStats.of(prober.name());
        Run run = new Run();
        run.prober = prober.name();
        run.servers = n;
        run.rounds = rounds;
        run.ports = ports;
        run.planned = servers;
        run.samples = samples;
        run.wallNanos = wall / rounds;
        run.cpuNanos = after.cpuNanos - before.cpuNanos;
        run.userNanos = after.userNanos - before.userNanos;
        run.allocatedBytes = after.allocatedBytes - before.allocatedBytes;
        return run;
    }

    /**
     * Memory a probe holds while in flight, retained after a full GC: {@code n} probes to grid
     * addresses the plan does not have (the fleet leaves them unanswered and keeps no record, so
     * only the prober's memory counts), measured once all have started, then cancelled. A separate
     * pass, so that its GC pause touches no timed probe.
     */
    private static long retained(Prober prober, FleetPlan plan, int n, int port) throws InterruptedException {
        List<String> addresses = new ArrayList<>(n);
        for (int i = 0; addresses.size() < n && i < FleetGrid.MAX_SERVERS; i++) {
            String ip = FleetGrid.address(FleetGrid.MAX_SERVERS - 1 - i);
            if (plan.find(literal(ip)) == null) {
                addresses.add(ip + ":" + port);
            }
        }
        if (addresses.size() < RETAINED_MIN_PROBES) {
            return -1; // the plan holds (nearly) the whole grid: too few silent addresses left to measure over
        }
        ProbeOptions options = ProbeOptions.builder().timeout(Duration.ofSeconds(30)).maxInFlight(n).build();
        fullGc();
        long before = heapUsed();
        CountDownLatch allStarted = new CountDownLatch(addresses.size());
        reactor.core.Disposable running = prober.events(addresses, options).subscribe(e -> {
            if (e instanceof ProbeEvent.Started) {
                allStarted.countDown();
            }
        });
        try {
            if (!allStarted.await(30, TimeUnit.SECONDS)) {
                return -1;
            }
            fullGc();
            return Math.max(0, heapUsed() - before) / addresses.size();
        } finally {
            running.dispose();
        }
    }

    /** Twice: what the first collection finalises or frees late, the second takes. */
    private static void fullGc() {
        System.gc();
        System.gc();
    }

    private static InetAddress literal(String ip) {
        try {
            return InetAddress.getByName(ip); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }

    private void report(Run run, boolean captured, Map<String, List<WireCapture.Connection>> wire, List<ConnectionRecord> records) {
        Map<String, ConnectionRecord> byServer = new HashMap<>();
        Set<Integer> ports = new HashSet<>(run.ports);
        for (ConnectionRecord r : records) {
            if (ports.contains(r.serverPort)) {
                byServer.put(WireCapture.serverKey(r.server.address, r.serverPort), r);
            }
        }
        List<Long> vsWire = new ArrayList<>();
        List<Long> signedVsWire = new ArrayList<>();
        List<Long> vsFleet = new ArrayList<>();
        List<Long> lateness = new ArrayList<>();
        int ok = 0;
        int rst = 0;
        int ack = 0;
        int retransmitted = 0;
        long largestPlanned = 0;
        for (RttSample s : run.samples) {
            InetSocketAddress resolved = s.resolved().orElseThrow();
            String key = WireCapture.serverKey(resolved.getAddress(), resolved.getPort());
            largestPlanned = Math.max(largestPlanned, run.planned.get(s.index()).delay.toMillis());
            List<WireCapture.Connection> seen = wire.getOrDefault(key, List.of());
            WireCapture.Connection c = seen.size() == 1 ? seen.get(0) : null;
            if (c != null) {
                rst += c.reply.equals("RST") ? 1 : 0;
                ack += c.reply.equals("ACK") ? 1 : 0;
                retransmitted += c.syns > 1 ? 1 : 0;
            }
            ConnectionRecord r = byServer.get(key);
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
                signedVsWire.add(rtt - c.rttMicros());
            }
            if (r != null && r.answered() && r.syns() == 1) {
                // a retransmitted SYN's record counts from the SYN it answered, the sample from the first
                vsFleet.add(Math.abs(rtt - r.appliedDelayMicros()));
            }
        }
        out.printf(Locale.ROOT, "%n%s, %d servers%s: OK %d/%d, wall %s ms%s (largest RTT %d ms), prober CPU %d ms (%d in the kernel), "
                        + "allocated %.1f KB/probe%s%n",
                run.prober, run.servers, run.rounds == 1 ? "" : " in flight, " + run.rounds + " calls in a row", ok, run.samples.size(),
                run.rounds == 1 ? String.valueOf(run.wallNanos / 1_000_000)
                        : String.format(Locale.ROOT, "%.1f", run.wallNanos / 1e6), run.rounds == 1 ? "" : " per call", largestPlanned,
                run.cpuNanos / 1_000_000, Math.max(0, run.cpuNanos - run.userNanos) / 1_000_000, // user time is counted in ticks
                run.allocatedBytes / 1024.0 / run.samples.size(),
                // below 10,000 probes the heap's own noise (the capture, the fleet's records) is larger than what they hold
                run.retainedBytes < 0 ? "" : String.format(Locale.ROOT, ", memory per probe in flight %.2f KB (retained after a full GC)",
                        run.retainedBytes / 1024.0));
        TreeMap<String, Integer> outcomes = new TreeMap<>();
        run.samples.forEach(x -> outcomes.merge(x.outcome().name(), 1, Integer::sum));
        out.println("  outcomes: " + outcomes);
        if (run.servers > 1) {
            Instant first = run.samples.stream().map(RttSample::startedAt).min(Comparator.naturalOrder()).orElseThrow();
            Instant last = run.samples.stream().map(RttSample::startedAt).max(Comparator.naturalOrder()).orElseThrow();
            out.printf(Locale.ROOT, "  connects launched over %d ms (first to last)%n", Duration.between(first, last).toMillis());
        }
        long reused = run.samples.stream().filter(RttSample::reusedSocket).count();
        if (run.samples.stream().anyMatch(x -> x.details().containsKey(RttSample.Details.REUSED_SOCKET))) {
            out.printf(Locale.ROOT, "  on a socket kept from an earlier probe (reset, not closed): %d of %d%n", reused, run.samples.size());
        }
        if (captured) {
            out.println("  |error| vs the wire (us):        " + stats(vsWire)
                    + (signedVsWire.isEmpty() ? "" : "; the sample minus the wire, median " + median(signedVsWire)));
        }
        out.println("  |error| vs the fleet record (us): " + stats(vsFleet));
        if (captured) {
            out.printf(Locale.ROOT, "  after the SYN-ACK, on the wire: RST %d, ACK %d; SYN retransmitted: %d%n", rst, ack, retransmitted);
        } else {
            out.println("  on the wire: not captured (--no-capture): no error against the wire, no count of RST and ACK");
        }
        out.println("  fleet lateness past due (us):    " + stats(lateness));
    }

    static String stats(List<Long> values) {
        if (values.isEmpty()) {
            return "none";
        }
        long[] v = sorted(values);
        return String.format(Locale.ROOT, "median %d, p90 %d, p99 %d, max %d (n=%d)",
                v[v.length / 2], v[(int) Math.min(v.length - 1, Math.ceil(v.length * 0.9) - 1)],
                v[(int) Math.min(v.length - 1, Math.ceil(v.length * 0.99) - 1)], v[v.length - 1], v.length);
    }

    private static long median(List<Long> values) {
        long[] v = sorted(values);
        return v[v.length / 2];
    }

    private static long[] sorted(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** CPU time and allocation of a prober's own threads (its event loop and delivery thread). */
    private static final class ThreadStats {
        long cpuNanos;
        long userNanos;
        long allocatedBytes;

        static ThreadStats of(String proberName) {
            ThreadStats t = new ThreadStats();
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (thread.getName().startsWith("rttpick-" + proberName + "-")) {
                    t.cpuNanos += Math.max(0, threads.getThreadCpuTime(thread.getId()));
                    t.userNanos += Math.max(0, threads.getThreadUserTime(thread.getId()));
                    t.allocatedBytes += Math.max(0, threads.getThreadAllocatedBytes(thread.getId()));
                }
            }
            return t;
        }
    }
}

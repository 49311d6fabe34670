package io.rttpick.bench;

import io.rttpick.cli.Command;
import io.rttpick.cli.Console;
import io.rttpick.cli.Options;
import io.rttpick.cli.UsageException;
import io.rttpick.fleet.capture.WireCapture;
import io.rttpick.fleet.tun.FleetGrid;
import io.rttpick.fleet.tun.TunFleet;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code rttpick scrape-bench}: serve's {@code /probe} against Prometheus' own blackbox_exporter
 * (Debian's {@code prometheus-blackbox-exporter}, its tcp module), side by side on the same
 * simulated fleet, scraped as Prometheus scrapes: many targets, a number at once. For each it
 * prints the accuracy of the reported time against the wire (tcpdump on the fleet's device), how
 * each handshake ended on the wire, the exporter process's CPU per scrape (utime + stime from
 * /proc) after a warm-up and for the warm-up apart, and scrapes per second. A figure, not a gate.
 */
public final class ScrapeBenchCommand implements Command {
    static final String USAGE = "rttpick scrape-bench [--targets N] [--at-once N] [--rounds N] [--warm-up N] [--blackbox PATH]";
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/");
    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

    @Override
    public String name() {
        return "scrape-bench";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public String summary() {
        return "serve's /probe against blackbox_exporter on the simulated fleet (root, tcpdump)";
    }

    @Override
    public String optionsHelp() {
        return new Parsed().options().help();
    }

    /** What the options set. */
    private static final class Parsed {
        int targets = 1_000;
        int atOnce = 64;
        int rounds = 2;
        int warmUp = 2_000;
        String blackbox = "/usr/bin/prometheus-blackbox-exporter";

        Options options() {
            return new Options("scrape-bench")
                    .positive("--targets", "fleet servers, each scraped once per round by each exporter (default 1000)",
                            n -> targets = n)
                    .positive("--at-once", "scrapes in flight at once, as Prometheus sends them (default 64)", n -> atOnce = n)
                    .positive("--rounds", "measured rounds per exporter, taken in turn (default 2)", n -> rounds = n)
                    .positive("--warm-up", "scrapes before the measured rounds, their CPU shown apart (default 2000)",
                            n -> warmUp = n)
                    .value("--blackbox", "PATH", "blackbox_exporter's binary (default /usr/bin/prometheus-blackbox-exporter)",
                            v -> blackbox = v);
        }
    }

    @Override
    public int run(List<String> args, Console console) throws Exception {
        Parsed p = new Parsed();
        p.options().parse(args);
        String device = console.env().get("RTTPICK_FLEET_DEVICE");
        if (device == null) {
            throw new UsageException("scrape-bench needs the simulated fleet: "
                    + console.env().getOrDefault("RTTPICK_FLEET_UNAVAILABLE", "run it through ./rttpick, as root"));
        }
        if (!Files.isExecutable(Path.of(p.blackbox))) {
            throw new UsageException("no blackbox_exporter at " + p.blackbox + " (apt-get install prometheus-blackbox-exporter,"
                    + " with a policy-rc.d that keeps it from starting as a service; or --blackbox PATH)");
        }
        if (p.targets > FleetGrid.MAX_SERVERS) {
            throw new UsageException("--targets: at most " + FleetGrid.MAX_SERVERS);
        }
        PrintStream out = console.out();
        Path dir = Files.createTempDirectory("rttpick-scrape-bench-");
        List<Exporter> exporters = new ArrayList<>();
        // connections kept until the client closes them: blackbox_exporter completes each handshake and needs it to stand
        try (TunFleet fleet = TunFleet.start(FleetGrid.plan(p.targets).keepConnections(true), device);
             WireCapture wire = WireCapture.start(device)) {
            exporters.add(startServe(dir));
            exporters.add(startBlackbox(p.blackbox, dir));
            out.printf(Locale.ROOT, "fleet: %d servers, delays 1..300 ms behind %s; %d scrapes at once; truth: tcpdump%n",
                    p.targets, device, p.atOnce);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            int port = 30_000;
            for (Exporter e : exporters) {
                e.warmUp = warmUp(http, e, p.warmUp, p.targets, port, p.atOnce);
                port += (p.warmUp + p.targets - 1) / p.targets;
            }
            for (int r = 0; r < p.rounds; r++) {
                for (Exporter e : exporters) {
                    e.rounds.add(scrape(http, e, p.targets, port++, p.atOnce));
                }
            }
            Map<String, List<WireCapture.Connection>> seen = WireCapture.byServer(wire.stop());
            for (Exporter e : exporters) {
                report(out, e, seen);
            }
        } finally {
            for (Exporter e : exporters) {
                e.process.destroy();
                e.process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        return 0;
    }

    /** An exporter under test: its process, how to ask it, and what it answered. */
    private static final class Exporter {
        final String name;
        final Process process;
        final String probeUrl;
        final Pattern figure;
        Round warmUp;
        final List<Round> rounds = new ArrayList<>();

        Exporter(String name, Process process, String probeUrl, Pattern figure) {
            this.name = name;
            this.process = process;
            this.probeUrl = probeUrl;
            this.figure = figure;
        }
    }

    /** One pass over the targets: what each scrape reported, and the process's CPU and the wall time it took. */
    private static final class Round {
        final int port;
        final Map<String, Double> reportedSeconds = Collections.synchronizedMap(new HashMap<>());
        int failed;
        /** What the first failed scrape answered, to say why. */
        String firstFailure;
        long cpuTicks;
        /** Of which in the kernel (stime). */
        long systemTicks;
        /** By thread name: where the CPU went. */
        final Map<String, Long> threadTicks = new TreeMap<>();
        long wallNanos;
        int scrapes;

        Round(int port) {
            this.port = port;
        }
    }

    private Exporter startServe(Path dir) throws IOException {
        String launcher = Path.of("rttpick").toAbsolutePath().toString();
        ProcessBuilder b = new ProcessBuilder(launcher, "serve", "--listen", "127.0.0.1:0", "--probe-any",
                "--max-scrapes-in-flight", "1024", "--max-probes-per-minute", "1000000", "--token-file",
                dir.resolve("serve.token").toString()).redirectErrorStream(true);
        // JVM options for serve alone (a profiler's), not for this process
        String serveOpts = System.getenv("SCRAPE_BENCH_SERVE_JAVA_OPTS");
        if (serveOpts != null) {
            b.environment().put("RTTPICK_JAVA_OPTS", serveOpts);
        }
        Process p = b.start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = lines.readLine()) != null; ) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                drain(lines);
                return new Exporter("rttpick serve /probe", p, "http://127.0.0.1:" + m.group(1) + "/probe?module=tcp&target=",
                        Pattern.compile("(?m)^rttpick_probe_rtt_seconds\\{timing=\"kernel\"\\} (\\S+)"));
            }
        }
        throw new IOException("serve did not start (run scrape-bench from the repository's root, after the build)");
    }

    private Exporter startBlackbox(String binary, Path dir) throws IOException, InterruptedException {
        Path config = dir.resolve("blackbox.yml");
        Files.writeString(config, "modules:\n  tcp_connect:\n    prober: tcp\n    timeout: 5s\n");
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Process p = new ProcessBuilder(binary, "--config.file=" + config, "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("blackbox.log").toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 100; i++) {
            try {
                http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                        HttpResponse.BodyHandlers.discarding());
                return new Exporter("blackbox_exporter tcp", p, "http://127.0.0.1:" + port + "/probe?module=tcp_connect&target=",
                        Pattern.compile("(?m)^probe_duration_seconds (\\S+)"));
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IOException("blackbox_exporter did not start: " + Files.readString(dir.resolve("blackbox.log")));
    }

    private static void drain(BufferedReader lines) {
        Thread t = new Thread(() -> {
            try {
                lines.lines().forEach(l -> { });
            } catch (UncheckedIOException ended) {
                // the process ended
            }
        }, "scrape-bench-drain");
        t.setDaemon(true);
        t.start();
    }

    /** {@code n} scrapes over the targets, on as many ports as it takes: one round of their CPU and time. */
    private static Round warmUp(HttpClient http, Exporter e, int n, int targets, int firstPort, int atOnce) throws Exception {
        Round total = new Round(firstPort);
        for (int done = 0, port = firstPort; done < n; port++) {
            Round r = scrape(http, e, Math.min(targets, n - done), port, atOnce);
            total.cpuTicks += r.cpuTicks;
            total.wallNanos += r.wallNanos;
            total.scrapes += r.scrapes;
            done += r.scrapes;
        }
        return total;
    }

    /** Scrapes {@code n} targets on {@code port}, {@code atOnce} at a time; the CPU the exporter spent meanwhile. */
    private static Round scrape(HttpClient http, Exporter e, int n, int port, int atOnce) throws Exception {
        Round round = new Round(port);
        Semaphore places = new Semaphore(atOnce);
        List<CompletableFuture<Void>> all = new ArrayList<>(n);
        long[] before = userAndSystemTicks(e.process.pid());
        Map<String, Long> threadsBefore = threadTicks(e.process.pid());
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            String target = FleetGrid.address(i) + ":" + port;
            places.acquire();
            HttpRequest request = HttpRequest.newBuilder(URI.create(e.probeUrl + target))
                    .header("X-Prometheus-Scrape-Timeout-Seconds", "5").timeout(Duration.ofSeconds(10)).build();
            all.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, error) -> {
                places.release();
                Matcher m = response == null ? null : e.figure.matcher(response.body());
                if (m != null && response.statusCode() == 200 && m.find() && response.body().contains("probe_success 1")) {
                    round.reportedSeconds.put(target, Double.parseDouble(m.group(1)));
                } else {
                    synchronized (round) {
                        round.failed++;
                        if (round.firstFailure == null && System.getenv("SCRAPE_DEBUG") != null) {
                            try {
                                round.firstFailure = http.send(HttpRequest.newBuilder(URI.create(e.probeUrl + target + "&debug=true"))
                                        .build(), HttpResponse.BodyHandlers.ofString()).body();
                            } catch (Exception x) {
                                round.firstFailure = String.valueOf(x);
                            }
                        }
                        if (round.firstFailure == null) {
                            round.firstFailure = error != null ? String.valueOf(error) : "HTTP " + response.statusCode() + ": "
                                    + response.body().lines().filter(l -> !l.startsWith("#")).limit(8)
                                            .reduce((a, b) -> a + "; " + b).orElse("");
                        }
                    }
                }
                return null;
            }));
        }
        CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).get(5, TimeUnit.MINUTES);
        round.wallNanos = System.nanoTime() - start;
        long[] after = userAndSystemTicks(e.process.pid());
        round.cpuTicks = after[0] + after[1] - before[0] - before[1];
        round.systemTicks = after[1] - before[1];
        threadTicks(e.process.pid()).forEach((name, ticks) -> round.threadTicks.merge(name,
                ticks - threadsBefore.getOrDefault(name, 0L), Long::sum));
        round.scrapes = n;
        return round;
    }

    private static InetAddress literal(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }

    /** CPU ticks of each thread of a process, by its name (digits folded), summed over threads of one name. */
    static Map<String, Long> threadTicks(long pid) throws IOException {
        Map<String, Long> out = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("\\d+", "N");
                    long[] t = userAndSystemTicks(stat);
                    out.merge(name, t[0] + t[1], Long::sum);
                } catch (IOException gone) {
                    // the thread ended meanwhile
                }
            }
        }
        return out;
    }

    /** utime and stime of a process, in clock ticks. */
    static long[] userAndSystemTicks(long pid) throws IOException {
        return userAndSystemTicks(Files.readString(Path.of("/proc", String.valueOf(pid), "stat")));
    }

    /** Fields 14 and 15 of a stat(5) line (utime, stime), counted after the name, which may hold spaces. */
    private static long[] userAndSystemTicks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
    }

    private static void report(PrintStream out, Exporter e, Map<String, List<WireCapture.Connection>> wire) {
        List<Long> error = new ArrayList<>();
        int rst = 0;
        int ack = 0;
        int none = 0;
        long cpu = 0;
        long system = 0;
        long wall = 0;
        int scrapes = 0;
        int failed = 0;
        for (Round r : e.rounds) {
            cpu += r.cpuTicks;
            system += r.systemTicks;
            wall += r.wallNanos;
            scrapes += r.scrapes;
            failed += r.failed;
            for (Map.Entry<String, Double> s : r.reportedSeconds.entrySet()) {
                String target = s.getKey();
                int colon = target.lastIndexOf(':');
                List<WireCapture.Connection> seen = wire.getOrDefault(WireCapture.serverKey(literal(target.substring(0, colon)),
                        Integer.parseInt(target.substring(colon + 1))), List.of());
                if (seen.size() != 1) {
                    continue;
                }
                WireCapture.Connection c = seen.get(0);
                rst += c.reply.equals("RST") ? 1 : 0;
                ack += c.reply.equals("ACK") ? 1 : 0;
                none += c.reply.equals("NONE") ? 1 : 0;
                if (c.rttMicros() >= 0) {
                    error.add(Math.abs(Math.round(s.getValue() * 1e6) - c.rttMicros()));
                }
            }
        }
        Collections.sort(error);
        double msPerScrape = cpu * 1000.0 / TICKS_PER_SECOND / Math.max(1, scrapes);
        double warmMs = e.warmUp.cpuTicks * 1000.0 / TICKS_PER_SECOND / Math.max(1, e.warmUp.scrapes);
        out.printf(Locale.ROOT, "%n%s: %d scrapes in %d rounds, %d failed%n", e.name, scrapes, e.rounds.size(), failed);
        e.rounds.stream().map(r -> r.firstFailure).filter(Objects::nonNull).findFirst()
                .ifPresent(f -> out.println("  the first failure: " + f));
        out.printf(Locale.ROOT, "  |reported - wire| (us): median %s, p90 %s, p99 %s, max %s (n=%d)%n", pct(error, 0.5),
                pct(error, 0.9), pct(error, 0.99), error.isEmpty() ? "-" : error.get(error.size() - 1), error.size());
        out.printf(Locale.ROOT, "  after the SYN-ACK, on the wire: RST %d, ACK %d, nothing %d%n", rst, ack, none);
        out.printf(Locale.ROOT, "  exporter CPU: %.2f ms per scrape after the warm-up, %.2f of it in the kernel"
                + " (%.2f ms per scrape in the warm-up of %d)%n", msPerScrape,
                system * 1000.0 / TICKS_PER_SECOND / Math.max(1, scrapes), warmMs, e.warmUp.scrapes);
        out.printf(Locale.ROOT, "  %.0f scrapes per second%n", scrapes / (wall / 1e9));
        int measured = scrapes;
        Map<String, Long> byThread = new HashMap<>();
        e.rounds.forEach(r -> r.threadTicks.forEach((n, t) -> byThread.merge(n, t, Long::sum)));
        out.println("  its busiest threads (ms per scrape): " + byThread.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(5)
                .map(t -> String.format(Locale.ROOT, "%s %.2f", t.getKey(), t.getValue() * 1000.0 / TICKS_PER_SECOND / measured))
                .reduce((a, b) -> a + ", " + b).orElse("-"));
    }

    private static String pct(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return "-";
        }
        return String.valueOf(sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * q) - 1)));
    }
}

package io.rttpick.serve;

import io.rttpick.prober.Prober;
import io.rttpick.prober.Probers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;

/**
 * {@code serve} in a JVM of its own, for what must not happen in the test's JVM: a small heap to
 * exhaust, a lowered descriptor limit the test's own sockets must not share. The child prints
 * "ready PORT TOKEN" and serves until its standard input closes (the test ending kills it).
 */
final class ServeProcess implements AutoCloseable {
    private final Process process;
    private final Path stderr;
    final int port;
    final String token;

    private ServeProcess(Process process, Path stderr, int port, String token) {
        this.process = process;
        this.stderr = stderr;
        this.port = port;
        this.token = token;
    }

    /** What the child has logged so far. */
    String log() throws IOException {
        return Files.readString(stderr);
    }

    /**
     * @param shellPrefix run under {@code sh -c} after this (e.g. {@code "ulimit -n 200"}), or null
     * @param args the child's settings: --fleet ADDRESS (repeatable), --max-calls-in-flight N, --max-calls-per-minute N,
     *             --max-probes-per-minute N, --exhaustible (a method that allocates until the heap is gone)
     */
    static ServeProcess start(String shellPrefix, List<String> jvmOptions, String... args) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ServeProcess.class.getName()));
        command.addAll(List.of(args));
        if (shellPrefix != null) {
            StringBuilder line = new StringBuilder(shellPrefix).append(" && exec");
            command.forEach(c -> line.append(" '").append(c.replace("'", "'\\''")).append('\''));
            command = List.of("/bin/sh", "-c", line.toString());
        }
        Path stderr = Files.createTempFile("rttpick-serve-child-", ".log");
        stderr.toFile().deleteOnExit();
        Process p = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("ready ")) {
            p.destroyForcibly();
            throw new IOException("the serve process did not start: " + line + "\n" + Files.readString(stderr));
        }
        String[] parts = line.split(" ");
        return new ServeProcess(p, stderr, Integer.parseInt(parts[1]), parts[2]);
    }

    long pid() {
        return process.pid();
    }

    /** Descriptors the child holds now. */
    int openFiles() throws IOException {
        try (var s = Files.list(Path.of("/proc", Long.toString(pid()), "fd"))) {
            return (int) s.count();
        }
    }

    /** The child's CPU time (user + system) so far. */
    Duration cpu() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
        return Duration.ofMillis(ticks * 10); // USER_HZ is 100 on Linux
    }

    /** The child's threads by CPU time so far (ms), busiest first: what a test prints when a quiet process is not. */
    String threadTimes() throws IOException {
        List<String> out = new ArrayList<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid()), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ms = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
                    out.add(String.format("%06d %s", ms, Files.readString(task.resolve("comm")).strip()));
                } catch (IOException gone) {
                    // the thread ended meanwhile
                }
            }
        }
        out.sort(java.util.Comparator.reverseOrder());
        return String.join(", ", out.subList(0, Math.min(8, out.size())));
    }

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() throws IOException {
        process.getOutputStream().close();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The child. */
    public static void main(String[] args) throws Exception {
        ServeSettings settings = new ServeSettings().listen(new InetSocketAddress("127.0.0.1", 0));
        boolean exhaustible = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--fleet" -> settings.server(args[++i], null);
                case "--max-calls-in-flight" -> settings.maxCallsInFlight(Integer.parseInt(args[++i]));
                case "--max-calls-per-minute" -> settings.maxCallsPerMinute(Integer.parseInt(args[++i]));
                case "--max-probes-per-minute" -> settings.maxProbesPerMinute(Integer.parseInt(args[++i]));
                case "--exhaustible" -> exhaustible = true;
                default -> throw new IllegalArgumentException(args[i]);
            }
        }
        List<JsonRpcEndpoint.Method> more = !exhaustible ? List.of() : List.of(JsonRpcEndpoint.Method.read("test_exhaustHeap",
                0, 9, "[...]", params -> Mono.fromCallable(ServeProcess::exhaustHeap)));
        try (Prober prober = Probers.load().open(java.util.Optional.empty());
             RttpickService service = RttpickService.start(settings, prober, more)) {
            System.out.println("ready " + service.port() + " " + service.token());
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until the test closes our input
            }
        }
    }

    /** A real heap exhaustion: keeps what it allocates until the heap is gone. */
    private static Object exhaustHeap() {
        List<long[]> hoard = new ArrayList<>();
        while (true) {
            hoard.add(new long[128 * 1024]);
        }
    }
}

package io.rttpick.serve.cli;

import io.rttpick.cli.AddressList;
import io.rttpick.cli.Command;
import io.rttpick.cli.Console;
import io.rttpick.cli.Options;
import io.rttpick.cli.Output;
import io.rttpick.cli.UsageException;
import io.rttpick.prober.Endpoint;
import io.rttpick.prober.InvalidEndpointException;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Resolver;
import io.rttpick.prober.Prober;
import io.rttpick.prober.Probers;
import io.rttpick.serve.RttpickService;
import io.rttpick.serve.ServeSettings;
import io.rttpick.serve.ServeUrls;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import reactor.netty.ChannelBindException;

/**
 * {@code rttpick serve}: the JSON-RPC service existing clients call ({@code mailservers_ping}),
 * the fleet methods, the server-list page and {@code /metrics}. Loopback unless told otherwise.
 */
public final class ServeCommand implements Command {
    static final String USAGE = "rttpick serve [--listen 127.0.0.1:8545] [--fleet FILE] [options]";
    /** The exit code when a port to listen on is taken. */
    static final int EXIT_CANNOT_LISTEN = 3;

    private final PrintStream out;
    private final PrintStream err;
    private final Probers probers;

    /** For ServiceLoader: the streams and probers come with each run. */
    public ServeCommand() {
        this(null, null, null);
    }

    ServeCommand(PrintStream out, PrintStream err, Probers probers) {
        this.out = out;
        this.err = err;
        this.probers = probers;
    }

    @Override
    public String name() {
        return "serve";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public String summary() {
        return "JSON-RPC (mailservers_ping, rttpick_*), the server-list page, /metrics, /probe";
    }

    @Override
    public String optionsHelp() {
        return new Parsed().options().help();
    }

    @Override
    public int run(List<String> args, Console console) throws Exception {
        return new ServeCommand(console.out(), console.err(), console.probers()).run(args, new CountDownLatch(1));
    }

    /** What the options set, filled through their table. */
    private static final class Parsed {
        final ServeSettings settings = new ServeSettings();
        Optional<String> proberName = Optional.empty();
        String fleetFile;
        Duration timeout = ProbeOptions.DEFAULT_TIMEOUT;
        boolean fleetOnly;

        Options options() {
            return new Options("serve")
                    .value("--listen", "HOST:PORT",
                            "where to listen (default 127.0.0.1:8545; port 0 picks one); not loopback only when asked",
                            v -> settings.listen(listen("--listen", v)))
                    .value("--fleet", "FILE",
                            "the fleet, in the --file form (address, optional name): enables the fleet methods and the page",
                            v -> fleetFile = v)
                    .value("--remember", "FILE", "remember the fleet's rankings per network in FILE (0600; rttpick_networkChanged"
                            + " names the network); turns on the fleet's probe budget", v -> settings.remember(rememberFile(v)))
                    .flag("--fleet-only", "the fleet is the one given at start: no adds or removals, nothing else probed",
                            () -> fleetOnly = true)
                    .positive("--max-addresses", "addresses per mailservers_ping call (default 1000)",
                            settings::maxAddressesPerCall)
                    .positive("--max-calls-in-flight", "JSON-RPC ping calls probing at once (default 4)",
                            settings::maxCallsInFlight)
                    .positive("--max-scrapes-in-flight", "/probe scrapes probing at once (default 32)",
                            settings::maxScrapesInFlight)
                    .positive("--max-calls-per-minute", "mailservers_ping calls per minute (default 60)",
                            settings::maxCallsPerMinute)
                    .positive("--max-probes-per-minute", "probe attempts per minute of every method together (default 2000)",
                            settings::maxProbesPerMinute)
                    .positive("--max-fleet", "servers in the fleet, added ones included (default 1000)", settings::maxFleet)
                    .positive("--max-batch", "calls in one JSON-RPC batch (default 100)", settings::maxBatch)
                    .positive("--max-body-bytes", "larger requests get HTTP 413 (default 1048576)", settings::maxBodyBytes)
                    .positive("--max-connections", "open connections; one more is closed at once (default 1024)",
                            settings::maxConnections)
                    .positive("--request-deadline-ms", "a request's headers and body must be in by then, else it is closed (default 10000)",
                            n -> settings.requestDeadline(Duration.ofMillis(n)))
                    .positive("--write-deadline-ms", "a client must take its answer by then, else it is dropped (default 10000)",
                            n -> settings.writeDeadline(Duration.ofMillis(n)))
                    .positive("--idle-timeout-s", "a connection with no request under way is closed (default 30)",
                            n -> settings.idleTimeout(Duration.ofSeconds(n)))
                    .value("--token-file", "FILE", "where the token for pin, unpin, addServer, removeServer, reportFailure,\n"
                            + "networkChanged and observe is written\n"
                            + "(mode 0600; default under $XDG_RUNTIME_DIR, else the temp dir)", v -> settings.tokenFile(Path.of(v)))
                    .flag("--probe-any", "GET /probe probes any target, not only the fleet's addresses", () -> settings.probeAny(true))
                    .value("--metrics-listen", "HOST:PORT",
                            "a second listener serving only /probe and /metrics (for Prometheus on other machines)",
                            v -> settings.metricsListen(listen("--metrics-listen", v)))
                    .value("--allow-host", "NAME", "a host name the metrics listener answers to (repeatable; IP addresses always)",
                            v -> settings.allowHost(hostName(v)))
                    .value("--metrics-token-file", "FILE", "the metrics listener needs Authorization: Bearer <the token in FILE>",
                            v -> settings.metricsToken(metricsToken(v)))
                    .positive("--timeout-ms", "per attempt when probing the fleet (default 1000)",
                            n -> timeout = Duration.ofMillis(n))
                    .positive("--min-probe-interval-s", "the fleet selector's rate limit (default 30)",
                            n -> settings.fleetMinProbeInterval(Duration.ofSeconds(n)))
                    .value("--prober", "NAME", "as for ping and pick", v -> proberName = Optional.of(v));
        }
    }

    /** --remember's file: its directory must exist (the file is made at the first save). */
    private static Path rememberFile(String value) throws UsageException {
        Path file;
        try {
            file = Path.of(value).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw new UsageException("--remember " + Output.printable(value) + ": not a file name");
        }
        if (Files.isDirectory(file)) {
            throw new UsageException("--remember " + Output.printable(value) + ": is a directory; name a file in it");
        }
        if (file.getParent() == null || !Files.isDirectory(file.getParent())) {
            throw new UsageException("--remember " + Output.printable(value) + ": its directory does not exist");
        }
        return file;
    }

    /** Runs until the process is stopped (or {@code stop} counts down, for tests). */
    int run(List<String> args, CountDownLatch stop) throws Exception {
        Parsed parsed = new Parsed();
        parsed.options().parse(args);
        ServeSettings settings = parsed.settings;
        String fleetFile = parsed.fleetFile;
        boolean fleetOnly = parsed.fleetOnly;
        if (fleetFile != null) {
            readFleet(fleetFile, settings);
        }
        if (fleetOnly && !settings.hasFleet()) {
            throw new UsageException("--fleet-only needs --fleet FILE");
        }
        if (settings.remembers() && !settings.hasFleet()) {
            throw new UsageException("--remember needs --fleet FILE: it remembers the fleet's rankings");
        }
        settings.fleetOnly(fleetOnly).fleetProbeOptions(ProbeOptions.builder().timeout(parsed.timeout).build());
        InetAddress host = settings.listenAddress().getAddress();
        if (!host.isLoopbackAddress()) {
            err.println("rttpick serve: warning: listening on " + host.getHostAddress() + ", not loopback: anyone who can reach it"
                    + " can make this machine probe addresses" + (fleetOnly ? " of the fleet" : " (consider --fleet-only)"));
        }
        if (settings.metricsListenAddress().isPresent() && !settings.metricsListenAddress().get().getAddress().isLoopbackAddress()
                && !settings.hasMetricsToken()) {
            err.println("rttpick serve: warning: --metrics-listen on " + settings.metricsListenAddress().get().getAddress().getHostAddress()
                    + " without --metrics-token-file: anyone who can reach it can make this machine probe the fleet");
        }
        // Ctrl-C or SIGTERM: close the service (the token file goes with it) before the JVM ends
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                closed.await(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "rttpick-serve-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            try (Prober prober = probers.open(parsed.proberName); RttpickService service = start(settings, prober)) {
                if (service == null) {
                    return EXIT_CANNOT_LISTEN;
                }
                out.println("rttpick serve: listening on " + ServeUrls.of(service.address()) + " (prober " + prober.name()
                        + (settings.hasFleet() ? ", fleet of " + settings.fleetSize() + " from " + fleetFile : ", no fleet") + ")"
                        + (service.address().getAddress().isAnyLocalAddress() ? " and every other address of this machine" : ""));
                out.println("rttpick serve: the server list, with the token that pin, unpin and the other changes need: "
                        + service.pageUrl());
                out.println("rttpick serve: the token is also in " + service.tokenFile() + " (readable by this user only)");
                service.metricsAddress().ifPresent(m -> out.println("rttpick serve: /probe and /metrics also on " + ServeUrls.of(m)));
                out.flush();
                stop.await();
            }
            out.println("rttpick serve: stopped; the token file is removed");
            out.flush();
            return 0;
        } finally {
            closed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is what is running: it ends once this returns
            }
        }
    }

    /** The service, or null when a port is taken (said, with the address): exit {@link #EXIT_CANNOT_LISTEN}. */
    private RttpickService start(ServeSettings settings, Prober prober) throws IOException {
        try {
            return RttpickService.start(settings, prober);
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BindException || t instanceof ChannelBindException) {
                    err.println("rttpick serve: cannot listen on " + bindAddress(t, settings) + ": address already in use"
                            + " (another serve, or another program, holds it; --listen HOST:PORT picks another)");
                    return null;
                }
            }
            throw e;
        }
    }

    private static String bindAddress(Throwable t, ServeSettings settings) {
        if (t instanceof ChannelBindException) {
            ChannelBindException c = (ChannelBindException) t;
            return c.localHost() + ":" + c.localPort();
        }
        InetSocketAddress a = settings.listenAddress();
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    /**
     * The fleet file is configuration: any line that is not an address (or not readable text)
     * stops the start, naming FILE:LINE. Names are optional.
     */
    private static void readFleet(String fleetFile, ServeSettings settings) throws UsageException {
        AddressList list = new AddressList();
        list.addFile(Path.of(fleetFile), "--fleet");
        for (int i = 0; i < list.addresses().size(); i++) {
            String address = list.addresses().get(i);
            String where = list.origin(i).orElse(fleetFile);
            Optional<String> unreadable = list.unreadable(i);
            if (unreadable.isPresent()) {
                throw new UsageException("--fleet " + where + ": not valid UTF-8");
            }
            try {
                Endpoint.parse(address);
            } catch (InvalidEndpointException e) {
                throw new UsageException("--fleet " + where + ": " + Output.printable(e.getMessage()));
            }
            settings.server(address, list.name(i));
        }
        if (!settings.hasFleet()) {
            throw new UsageException("--fleet " + fleetFile + " lists no server");
        }
    }

    private static String hostName(String text) throws UsageException {
        if (!text.matches("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*")) {
            throw new UsageException("--allow-host " + Output.printable(text) + ": not a host name");
        }
        return text;
    }

    private static String metricsToken(String file) throws UsageException {
        String token;
        try {
            token = Files.readString(Path.of(file)).strip();
        } catch (IOException e) {
            throw UsageException.cannotRead("--metrics-token-file", Path.of(file), e);
        }
        if (token.isEmpty() || token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw new UsageException("--metrics-token-file " + file + ": the token must be one line of printable ASCII, without spaces");
        }
        return token;
    }

    private static InetSocketAddress listen(String option, String text) throws UsageException {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new UsageException(option + " needs HOST:PORT, got '" + Output.printable(text) + "'");
        }
        String host = text.substring(0, colon);
        String port = text.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
            throw new UsageException(option + " " + Output.printable(text) + ": invalid port");
        }
        if (!host.equals("localhost") && !host.matches("[0-9a-fA-F:.]+")) {
            throw new UsageException(option + " " + Output.printable(text) + ": the host must be an IP address or localhost");
        }
        try {
            // localhost answered without asking the system (RFC 6761), an IP literal parsed
            return new InetSocketAddress(Resolver.system().resolve(host).get(0), Integer.parseInt(port));
        } catch (UnknownHostException e) {
            throw new UsageException(option + " " + Output.printable(text) + ": " + e.getMessage());
        }
    }

}

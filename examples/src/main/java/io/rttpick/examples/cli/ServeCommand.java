package io.rttpick.examples.cli;

import io.rttpick.serve.RttpickService;
import io.rttpick.serve.ServeSettings;
import io.rttpick.prober.Endpoint;
import io.rttpick.prober.InvalidEndpointException;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.prober.Probers;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code rttpick serve}: the JSON-RPC service existing clients call ({@code mailservers_ping}),
 * the fleet methods, the server-list page and {@code /metrics}. Loopback unless told otherwise.
 */
final class ServeCommand {
    static final String USAGE = "rttpick serve [--listen 127.0.0.1:8545] [--fleet FILE] [options]";
    static final String OPTIONS_HELP = String.join("\n",
            "  --listen HOST:PORT        where to listen (default 127.0.0.1:8545; port 0 picks one); not loopback only when asked",
            "  --fleet FILE              the fleet, in the --file form (address, optional name): enables the fleet methods and the page",
            "  --fleet-only              the fleet is the one given at start: no adds or removals, nothing else probed",
            "  --max-addresses N         addresses per mailservers_ping call (default 1000)",
            "  --max-calls-in-flight N   mailservers_ping calls probing at once (default 4)",
            "  --max-calls-per-minute N  mailservers_ping calls per minute (default 60)",
            "  --max-probes-per-minute N probe attempts per minute of every method together (default 2000)",
            "  --max-fleet N             servers in the fleet, added ones included (default 1000)",
            "  --max-batch N             calls in one JSON-RPC batch (default 100)",
            "  --max-body-bytes N        larger requests get HTTP 413 (default 1048576)",
            "  --max-connections N       open connections; one more is closed at once (default 1024)",
            "  --request-deadline-ms N   a request's headers and body must be in by then, else it is closed (default 10000)",
            "  --write-deadline-ms N     a client must take its answer by then, else it is dropped (default 10000)",
            "  --idle-timeout-s N        a connection with no request under way is closed (default 30)",
            "  --token-file FILE         where the token for pin, unpin, addServer, removeServer, reportFailure is written",
            "                            (mode 0600; default under $XDG_RUNTIME_DIR, else the temp dir)",
            "  --probe-any               GET /probe probes any target, not only the fleet's addresses",
            "  --metrics-listen HOST:PORT  a second listener serving only /probe and /metrics (for Prometheus on other machines)",
            "  --allow-host NAME         a host name the metrics listener answers to (repeatable; IP addresses always)",
            "  --metrics-token-file FILE the metrics listener needs Authorization: Bearer <the token in FILE>",
            "  --timeout-ms N            per attempt when probing the fleet (default 1000)",
            "  --min-probe-interval-s N  the fleet selector's rate limit (default 30)",
            "  --prober NAME             as for ping and pick");

    private final PrintStream out;
    private final PrintStream err;
    private final Probers probers;

    ServeCommand(PrintStream out, PrintStream err, Probers probers) {
        this.out = out;
        this.err = err;
        this.probers = probers;
    }

    /** Runs until the process is stopped (or {@code stop} counts down, for tests). */
    int run(List<String> args, CountDownLatch stop) throws Exception {
        ServeSettings settings = new ServeSettings();
        Optional<String> proberName = Optional.empty();
        String fleetFile = null;
        Duration timeout = ProbeOptions.DEFAULT_TIMEOUT;
        boolean fleetOnly = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String inline = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) { // --opt=value as well as --opt value
                inline = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            if (a.equals("--fleet-only") || a.equals("--probe-any")) {
                if (inline != null) {
                    throw new UsageException(a + " takes no value");
                }
                if (a.equals("--fleet-only")) {
                    fleetOnly = true;
                } else {
                    settings.probeAny(true);
                }
                continue;
            }
            if (inline == null && i + 1 >= args.size()) {
                throw new UsageException(a.startsWith("--") ? a + " needs a value" : "serve takes no addresses, got '" + a + "'");
            }
            String v = inline != null ? inline : args.get(++i);
            switch (a) {
                case "--listen": settings.listen(listen(v)); break;
                case "--fleet": fleetFile = v; break;
                case "--max-addresses": settings.maxAddressesPerCall(positive(a, v)); break;
                case "--max-calls-in-flight": settings.maxCallsInFlight(positive(a, v)); break;
                case "--max-calls-per-minute": settings.maxCallsPerMinute(positive(a, v)); break;
                case "--max-probes-per-minute": settings.maxProbesPerMinute(positive(a, v)); break;
                case "--max-fleet": settings.maxFleet(positive(a, v)); break;
                case "--max-batch": settings.maxBatch(positive(a, v)); break;
                case "--max-body-bytes": settings.maxBodyBytes(positive(a, v)); break;
                case "--max-connections": settings.maxConnections(positive(a, v)); break;
                case "--request-deadline-ms": settings.requestDeadline(Duration.ofMillis(positive(a, v))); break;
                case "--write-deadline-ms": settings.writeDeadline(Duration.ofMillis(positive(a, v))); break;
                case "--idle-timeout-s": settings.idleTimeout(Duration.ofSeconds(positive(a, v))); break;
                case "--token-file": settings.tokenFile(Path.of(v)); break;
                case "--metrics-listen": settings.metricsListen(listen(v)); break;
                case "--allow-host": settings.allowHost(hostName(v)); break;
                case "--metrics-token-file": settings.metricsToken(metricsToken(v)); break;
                case "--timeout-ms": timeout = Duration.ofMillis(positive(a, v)); break;
                case "--min-probe-interval-s": settings.fleetMinProbeInterval(Duration.ofSeconds(positive(a, v))); break;
                case "--prober": proberName = Optional.of(v); break;
                default: throw new UsageException("unknown option " + Output.printable(a) + " for serve");
            }
        }
        if (fleetFile != null) {
            readFleet(fleetFile, settings);
        }
        if (fleetOnly && !settings.hasFleet()) {
            throw new UsageException("--fleet-only needs --fleet FILE");
        }
        settings.fleetOnly(fleetOnly).fleetProbeOptions(ProbeOptions.builder().timeout(timeout).build());
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
        try (Prober prober = probers.open(proberName); RttpickService service = RttpickService.start(settings, prober)) {
            InetSocketAddress at = service.address();
            String shown = at.getAddress().getHostAddress().contains(":") ? "[" + at.getAddress().getHostAddress() + "]"
                    : at.getAddress().getHostAddress();
            out.println("rttpick serve: listening on http://" + shown + ":" + at.getPort() + "/ (prober " + prober.name()
                    + (settings.hasFleet() ? ", fleet of " + settings.fleetSize() + " from " + fleetFile : ", no fleet") + ")");
            out.println("rttpick serve: the server list, with the token that pin, unpin and the other changes need: "
                    + service.pageUrl());
            out.println("rttpick serve: the token is also in " + service.tokenFile() + " (readable by this user only)");
            service.metricsAddress().ifPresent(m -> out.println("rttpick serve: /probe and /metrics also on http://"
                    + m.getAddress().getHostAddress() + ":" + m.getPort() + "/"));
            out.flush();
            stop.await();
        }
        return 0;
    }

    /**
     * The fleet file is configuration: any line that is not an address (or not readable text)
     * stops the start, naming FILE:LINE. Names are optional.
     */
    private static void readFleet(String fleetFile, ServeSettings settings) throws UsageException {
        AddressList list = new AddressList();
        list.addFile(Path.of(fleetFile));
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
            token = java.nio.file.Files.readString(Path.of(file)).strip();
        } catch (java.io.IOException e) {
            throw new UsageException("cannot read --metrics-token-file " + file + ": " + e.getMessage());
        }
        if (token.isEmpty() || token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw new UsageException("--metrics-token-file " + file + ": the token must be one line of printable ASCII, without spaces");
        }
        return token;
    }

    private static InetSocketAddress listen(String text) throws UsageException {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new UsageException("--listen needs HOST:PORT, got '" + text + "'");
        }
        String host = text.substring(0, colon);
        String port = text.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
            throw new UsageException("--listen " + text + ": invalid port");
        }
        if (!host.equals("localhost") && !host.matches("[0-9a-fA-F:.]+")) {
            throw new UsageException("--listen " + text + ": the host must be an IP address or localhost");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), Integer.parseInt(port));
        } catch (java.net.UnknownHostException e) {
            throw new UsageException("--listen " + text + ": " + e.getMessage());
        }
    }

    private static int positive(String option, String text) throws UsageException {
        try {
            int v = Integer.parseInt(text);
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException(option + " needs a positive whole number, got '" + text + "'");
    }
}

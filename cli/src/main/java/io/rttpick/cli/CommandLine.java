package io.rttpick.cli;

import io.rttpick.prober.AddressFamily;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.prober.ProberUnavailableException;
import io.rttpick.prober.Probers;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The options shared by {@code ping} and {@code pick} (and {@code demo}), in the one table form. */
public final class CommandLine {
    final AddressList addresses = new AddressList();
    /** The files --file named, as given: to name them when they list nothing. */
    private final List<String> files = new ArrayList<>();
    Duration timeout = ProbeOptions.DEFAULT_TIMEOUT;
    /** Whether {@code --timeout-ms} was given: demo's default depends on its fleet. */
    boolean timeoutGiven;
    int count = 1;
    Duration spacing = Duration.ZERO;
    int maxInFlight = ProbeOptions.DEFAULT_MAX_IN_FLIGHT;
    int maxSynRate;
    Optional<String> prober = Optional.empty();
    AddressFamily family = AddressFamily.ANY;
    InetAddress localAddress;
    boolean json;

    /** Options at their defaults, no address yet. */
    public CommandLine() {
    }

    /** The table of ping and pick, filling {@code c}; addresses are its operands. A command may add its own. */
    public static Options options(String command, CommandLine c) {
        return new Options(command)
                .positive("--timeout-ms", "per attempt, from its own connect (default 1000)", n -> {
                    c.timeout = Duration.ofMillis(n);
                    c.timeoutGiven = true;
                })
                .positive("--count", "samples per address, one after another (default 1)", n -> c.count = n)
                .positive("--spacing-ms", "pause between one address's samples (default 0); pick reports their jitter",
                        n -> c.spacing = Duration.ofMillis(n))
                .positive("--max-in-flight", "attempts in flight at once (default 256)", n -> c.maxInFlight = n)
                .positive("--max-syn-rate", "at most N new connects per second, evenly spaced (default: no cap)",
                        n -> c.maxSynRate = n)
                .value("--prober", "NAME", "linux-epoll, darwin-kqueue, connect, or a plugin's (icmp); rttpick probers lists them",
                        v -> c.prober = Optional.of(v))
                .value("--family", "F", "any, ipv4 or ipv6: which address of a name to probe (default any)",
                        v -> c.family = family(v))
                .value("--local-address", "IP", "source address to bind", v -> c.localAddress = ipLiteral("--local-address", v))
                .value("--file", "F", "addresses from a file: one per line, optional name after it, # comments",
                        v -> {
                            c.addresses.addFile(Path.of(v));
                            c.files.add(v);
                        })
                .flag("--json", "machine-readable output", () -> c.json = true)
                .operands(a -> c.addresses.add(a, null))
                .unknownOption(name -> "unknown option " + Output.printable(name));
    }

    /** The options of ping and pick, for help. */
    static String optionsHelp() {
        return options("ping", new CommandLine()).help();
    }

    /** ping's and pick's arguments: options and at least one address. */
    public static CommandLine parse(List<String> args) throws UsageException {
        CommandLine c = new CommandLine();
        options("ping", c).parse(args);
        c.requireAddresses();
        return c;
    }

    /** An address with its name (a fleet's), after those given. */
    public void add(String address, String name) {
        addresses.add(address, name);
    }

    /** Whether addresses were given (as operands or through --file). */
    public boolean hasAddresses() {
        return !addresses.isEmpty();
    }

    /** The addresses given, as given. */
    public List<String> addressesGiven() {
        return addresses.addresses();
    }

    public boolean json() {
        return json;
    }

    public boolean timeoutGiven() {
        return timeoutGiven;
    }

    public Duration timeout() {
        return timeout;
    }

    public void timeout(Duration timeout) {
        this.timeout = timeout;
    }

    /** The prober the options name (else the best available), wrapped to explain unreadable file lines. */
    Prober open(Probers probers) {
        String wanted = this.prober.map(n -> n.toLowerCase(Locale.ROOT)).orElse(null);
        if (wanted != null && KnownProbers.where(wanted) != null
                && probers.candidates().stream().noneMatch(c -> c.name().equals(wanted))) {
            throw new ProberUnavailableException("no prober named '" + Output.printable(this.prober.get()) + "' here: "
                    + wanted + " comes with " + KnownProbers.where(wanted));
        }
        Prober prober = probers.open(this.prober);
        return addresses.explaining(prober);
    }

    void requireAddresses() throws UsageException {
        if (addresses.isEmpty() && !files.isEmpty()) {
            throw new UsageException(files.size() == 1 ? "--file " + Output.printable(files.get(0)) + " lists no address"
                    : "no address in any --file (" + Output.printable(String.join(", ", files)) + ")");
        }
        if (addresses.isEmpty()) {
            throw new UsageException("no address given (pass addresses, or --file F)");
        }
    }

    ProbeOptions probeOptions() {
        return ProbeOptions.builder().timeout(timeout).samplesPerEndpoint(count).maxInFlight(maxInFlight)
                .family(family).localAddress(localAddress).maxConnectsPerSecond(maxSynRate).sampleSpacing(spacing).build();
    }

    private static AddressFamily family(String text) throws UsageException {
        switch (text.toLowerCase(Locale.ROOT)) {
            case "any": return AddressFamily.ANY;
            case "ipv4": case "4": return AddressFamily.IPV4;
            case "ipv6": case "6": return AddressFamily.IPV6;
            default: throw new UsageException("--family must be any, ipv4 or ipv6, got '" + Output.printable(text) + "'");
        }
    }

    private static InetAddress ipLiteral(String option, String text) throws UsageException {
        // only literals: a source address must not cost a DNS lookup
        try {
            io.rttpick.prober.Endpoint e = io.rttpick.prober.Endpoint.parse(
                    (text.contains(":") && !text.startsWith("[") ? "[" + text + "]" : text) + ":1");
            return e.literalAddress().orElseThrow(() -> new UsageException(option + " needs an IP address, got '"
                    + Output.printable(text) + "'"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + " needs an IP address, got '" + Output.printable(text) + "'");
        }
    }
}

package io.rttpick.examples.cli;

import io.rttpick.prober.AddressFamily;
import io.rttpick.prober.ProbeOptions;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The options shared by {@code ping} and {@code pick}, parsed strictly: every mistake names itself. */
final class CommandLine {
    static final String OPTIONS_HELP = String.join("\n",
            "  --timeout-ms N      per attempt, from its own connect (default 1000)",
            "  --count N           samples per address, one after another (default 1)",
            "  --spacing-ms N      pause between one address's samples (default 0); pick reports their jitter",
            "  --max-in-flight N   attempts in flight at once (default 256)",
            "  --max-syn-rate N    at most N new connects per second, evenly spaced (default: no cap)",
            "  --prober NAME       linux-epoll, darwin-kqueue, android-connect, connect, or a plugin's name",
            "  --family F          any, ipv4 or ipv6: which address of a name to probe (default any)",
            "  --local-address IP  source address to bind",
            "  --file F            addresses from a file: one per line, optional name after it, # comments",
            "  --json              machine-readable output");

    final AddressList addresses = new AddressList();
    Duration timeout = ProbeOptions.DEFAULT_TIMEOUT;
    int count = 1;
    Duration spacing = Duration.ZERO;
    int maxInFlight = ProbeOptions.DEFAULT_MAX_IN_FLIGHT;
    int maxSynRate;
    Optional<String> prober = Optional.empty();
    AddressFamily family = AddressFamily.ANY;
    InetAddress localAddress;
    boolean json;

    static CommandLine parse(List<String> args) throws UsageException {
        CommandLine c = new CommandLine();
        boolean optionsEnded = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (optionsEnded || !arg.startsWith("--")) {
                c.addresses.add(arg, null);
                continue;
            }
            String name = arg;
            String inlineValue = null;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(0, eq);
                inlineValue = arg.substring(eq + 1);
            }
            switch (name) {
                case "--":
                    optionsEnded = true;
                    break;
                case "--json":
                    c.json = true;
                    break;
                case "--timeout-ms":
                    c.timeout = Duration.ofMillis(positive(name, value(args, i, inlineValue)));
                    i += inlineValue == null ? 1 : 0;
                    break;
                case "--count":
                    c.count = (int) positive(name, value(args, i, inlineValue));
                    i += inlineValue == null ? 1 : 0;
                    break;
                case "--spacing-ms":
                    c.spacing = Duration.ofMillis(positive(name, value(args, i, inlineValue)));
                    i += inlineValue == null ? 1 : 0;
                    break;
                case "--max-in-flight":
                    c.maxInFlight = (int) positive(name, value(args, i, inlineValue));
                    i += inlineValue == null ? 1 : 0;
                    break;
                case "--max-syn-rate":
                    c.maxSynRate = (int) positive(name, value(args, i, inlineValue));
                    i += inlineValue == null ? 1 : 0;
                    break;
                case "--prober":
                    c.prober = Optional.of(value(args, i, inlineValue));
                    i += inlineValue == null ? 1 : 0;
                    break;
                case "--family":
                    c.family = family(value(args, i, inlineValue));
                    i += inlineValue == null ? 1 : 0;
                    break;
                case "--local-address":
                    c.localAddress = ipLiteral(name, value(args, i, inlineValue));
                    i += inlineValue == null ? 1 : 0;
                    break;
                case "--file":
                    c.addresses.addFile(Path.of(value(args, i, inlineValue)));
                    i += inlineValue == null ? 1 : 0;
                    break;
                default:
                    throw new UsageException("unknown option " + name);
            }
        }
        if (c.addresses.isEmpty()) {
            throw new UsageException("no address given (pass addresses, or --file F)");
        }
        return c;
    }

    ProbeOptions probeOptions() {
        return ProbeOptions.builder().timeout(timeout).samplesPerEndpoint(count).maxInFlight(maxInFlight)
                .family(family).localAddress(localAddress).maxConnectsPerSecond(maxSynRate).sampleSpacing(spacing).build();
    }

    private static String value(List<String> args, int i, String inline) throws UsageException {
        if (inline != null) {
            return inline;
        }
        if (i + 1 >= args.size()) {
            throw new UsageException(args.get(i) + " needs a value");
        }
        return args.get(i + 1);
    }

    private static long positive(String option, String text) throws UsageException {
        try {
            long v = Long.parseLong(text);
            if (v >= 1 && v <= Integer.MAX_VALUE) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException(option + " needs a positive whole number, got '" + text + "'");
    }

    private static AddressFamily family(String text) throws UsageException {
        switch (text.toLowerCase(Locale.ROOT)) {
            case "any": return AddressFamily.ANY;
            case "ipv4": case "4": return AddressFamily.IPV4;
            case "ipv6": case "6": return AddressFamily.IPV6;
            default: throw new UsageException("--family must be any, ipv4 or ipv6, got '" + text + "'");
        }
    }

    private static InetAddress ipLiteral(String option, String text) throws UsageException {
        // only literals: a source address must not cost a DNS lookup
        try {
            io.rttpick.prober.Endpoint e = io.rttpick.prober.Endpoint.parse(
                    (text.contains(":") && !text.startsWith("[") ? "[" + text + "]" : text) + ":1");
            return e.literalAddress().orElseThrow(() -> new UsageException(option + " needs an IP address, got '" + text + "'"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + " needs an IP address, got '" + text + "'");
        }
    }
}

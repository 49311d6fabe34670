package io.rttpick.examples.cli;

import io.rttpick.prober.Prober;
import io.rttpick.prober.Probers;
import io.rttpick.prober.ProberUnavailableException;
import io.rttpick.selector.RttSelector;
import io.rttpick.fleet.tun.FleetPlan;
import io.rttpick.fleet.tun.PlanFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The {@code rttpick} command line. Exit codes: 0 ran, 1 {@code pick} found nothing reachable, 2 bad usage. */
public final class Main {
    static final String USAGE = String.join("\n",
            "usage:",
            "  " + PingCommand.USAGE + "   print every sample as it arrives",
            "  " + PickCommand.USAGE + "   choose a server: the choice first, then the groups",
            "  rttpick probers                    list probers, the one in use, why others are unavailable",
            "  rttpick demo [--plan F] [pick options]  a pick over the simulated seed fleet or plan F (root), else loopback",
            "  " + BenchCommand.USAGE + "   accuracy, time, CPU and memory on 1..10,000 simulated servers (root)",
            "  " + ServeCommand.USAGE + "   JSON-RPC (mailservers_ping, rttpick_*), the server-list page, /metrics, /probe",
            "",
            "options of ping and pick:",
            CommandLine.OPTIONS_HELP,
            "",
            "options of serve:",
            ServeCommand.OPTIONS_HELP,
            "",
            "addresses: host:port, 1.2.3.4:443, [2001:db8::1]:443, enode://<id>@host:port, /ip4|/ip6|/dns4|/dns6|/dns/<host>/tcp/<port>",
            "system properties: -Drttpick.prober=NAME chooses the prober, -Drttpick.noNative=true disables native ones");

    private final PrintStream out;
    private final PrintStream err;
    private final Probers probers;
    /** Made when a command needs it: ping never does, and its SecureRandom costs start-up time. */
    private final java.util.function.Supplier<RttSelector> selector;

    Main(PrintStream out, PrintStream err, Probers probers, java.util.function.Supplier<RttSelector> selector) {
        this.out = out;
        this.err = err;
        this.probers = probers;
        this.selector = selector;
    }

    public static void main(String[] args) {
        int code = new Main(System.out, System.err, Probers.load(), RttSelector::create).run(Arrays.asList(args));
        System.out.flush();
        System.exit(code);
    }

    int run(List<String> args) {
        if (args.isEmpty()) {
            err.println("rttpick: no command given");
            err.println(USAGE);
            return 2;
        }
        String command = args.get(0);
        List<String> rest = args.subList(1, args.size());
        try {
            switch (command) {
                case "ping":
                    return withProber(CommandLine.parse(rest), (c, p) -> new PingCommand().run(c, p, out));
                case "pick":
                    return withProber(CommandLine.parse(rest), (c, p) -> new PickCommand(selector.get()).run(c, p, out));
                case "probers":
                    if (!rest.isEmpty()) {
                        throw new UsageException("probers takes no arguments, got " + rest.get(0));
                    }
                    return new ProbersCommand().run(probers, out);
                case "demo":
                    return demo(rest);
                case "serve":
                    return new ServeCommand(out, err, probers).run(rest, new java.util.concurrent.CountDownLatch(1));
                case "bench":
                    return new BenchCommand(out, probers).run(rest, System.getenv());
                case "help":
                case "--help":
                case "-h":
                    out.println(USAGE);
                    return 0;
                default:
                    throw new UsageException("unknown command '" + command + "'");
            }
        } catch (UsageException e) {
            err.println("rttpick: " + e.getMessage());
            err.println("run 'rttpick help' for usage");
            return 2;
        } catch (ProberUnavailableException e) {
            err.println("rttpick: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("rttpick: " + command + " failed: " + e);
            return 1;
        }
    }

    /**
     * A pick over the seed fleet (Amsterdam 29 ms, Iowa 127 ms, Hong Kong 279 ms, one dead), or the
     * one {@code --plan FILE} describes, behind a TUN device, when the launcher could start this JVM
     * in a network namespace (root); else over a small fleet on loopback, saying why. Takes pick's options.
     */
    private int demo(List<String> given) throws Exception {
        List<String> rest = new ArrayList<>(given);
        FleetPlan plan = FleetPlan.seed();
        int at = rest.indexOf("--plan");
        if (at >= 0) {
            if (at + 1 >= rest.size()) {
                throw new UsageException("--plan needs a file");
            }
            String file = rest.remove(at + 1);
            rest.remove(at);
            try {
                plan = PlanFile.read(Path.of(file));
            } catch (IOException e) {
                throw new UsageException("cannot read --plan " + file + ": " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            if (System.getenv("RTTPICK_FLEET_DEVICE") == null) {
                throw new UsageException("--plan needs the simulated fleet: "
                        + System.getenv().getOrDefault("RTTPICK_FLEET_UNAVAILABLE", "run it through ./rttpick, as root"));
            }
        }
        try (DemoFleet fleet = DemoFleet.start(System.getenv(), plan)) {
            if (!fleet.isSimulated()) {
                err.println("rttpick: " + fleet.whyNotSimulated());
            }
            List<String> args = new ArrayList<>(List.of("--timeout-ms", fleet.isSimulated() ? "1000" : "500"));
            args.addAll(rest);
            args.addAll(fleet.addresses());
            CommandLine c = CommandLine.parse(args);
            for (int i = 0; i < fleet.addresses().size(); i++) {
                c.addresses.name(c.addresses.addresses().size() - fleet.addresses().size() + i, fleet.names().get(i));
            }
            return withProber(c, (cl, prober) -> {
                if (!cl.json) {
                    out.println(fleet.description() + " (timeout " + cl.timeout.toMillis() + " ms); prober " + prober.name());
                }
                return new PickCommand(selector.get()).run(cl, prober, out);
            });
        }
    }

    private interface ProberTask {
        int run(CommandLine c, Prober prober) throws Exception;
    }

    private int withProber(CommandLine c, ProberTask task) throws Exception {
        try (Prober prober = probers.open(c.prober)) {
            return task.run(c, c.addresses.explaining(prober));
        }
    }
}

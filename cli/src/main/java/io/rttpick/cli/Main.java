package io.rttpick.cli;

import io.rttpick.prober.Prober;
import io.rttpick.prober.ProberUnavailableException;
import io.rttpick.prober.Probers;
import io.rttpick.selector.RttSelector;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Supplier;


/**
 * The {@code rttpick} command line: ping, pick and probers here; serve, demo and bench are
 * {@link Command}s found on the class path (the launcher adds their jars for those commands only).
 * Exit codes: 0 ran, 1 {@code pick} found nothing reachable (or a command failed), 2 bad usage.
 */
public final class Main {
    /** The commands of other modules, by name: the jar each needs, for the message when it is missing. */
    private static final Map<String, String> ELSEWHERE = Map.of("serve", "rttpick-serve", "demo", "rttpick-bench",
            "bench", "rttpick-bench");
    private static final List<String> ORDER = List.of("demo", "bench", "serve");

    private final Console console;
    private final Map<String, Command> commands;

    /** With the commands found on the class path. */
    public Main(PrintStream out, PrintStream err, Probers probers, Supplier<RttSelector> selector) {
        this(new Console(out, err, probers, selector, System.getenv()), found());
    }

    Main(Console console, Map<String, Command> commands) {
        this.console = console;
        this.commands = commands;
    }

    private static Map<String, Command> found() {
        Map<String, Command> found = new TreeMap<>();
        for (Command c : ServiceLoader.load(Command.class, Main.class.getClassLoader())) {
            found.putIfAbsent(c.name(), c);
        }
        return found;
    }

    public static void main(String[] args) {
        int code = new Main(System.out, System.err, Probers.load(), RttSelector::create).run(Arrays.asList(args));
        System.out.flush();
        System.exit(code);
    }

    String usage() {
        List<String> lines = new ArrayList<>(List.of(
                "usage:",
                "  " + PingCommand.USAGE + "   print every sample as it arrives",
                "  " + PickCommand.USAGE + "   choose a server: the choice first, then the groups",
                "  rttpick probers                    list probers, the one in use, why others are unavailable"));
        for (String name : ORDER) {
            Command c = commands.get(name);
            lines.add(c != null ? "  " + c.usage() + "   " + c.summary()
                    : "  rttpick " + name + "   (needs " + ELSEWHERE.get(name) + " on the class path: ./rttpick adds it)");
        }
        commands.keySet().stream().filter(n -> !ORDER.contains(n))
                .forEach(n -> lines.add("  " + commands.get(n).usage() + "   " + commands.get(n).summary()));
        lines.add("");
        lines.add("options of ping and pick:");
        lines.add(CommandLine.optionsHelp());
        for (Command c : commands.values()) {
            if (!c.optionsHelp().isEmpty()) {
                lines.add("");
                lines.add("options of " + c.name() + ":");
                lines.add(c.optionsHelp());
            }
        }
        lines.add("");
        lines.add("addresses: host:port, 1.2.3.4:443, [2001:db8::1]:443, enode://<id>@host:port, /ip4|/ip6|/dns4|/dns6|/dns/<host>/tcp/<port>");
        lines.add("system properties: -Drttpick.prober=NAME chooses the prober, -Drttpick.noNative=true disables native ones");
        return String.join("\n", lines);
    }

    public int run(List<String> args) {
        PrintStream out = console.out();
        PrintStream err = console.err();
        if (args.isEmpty()) {
            err.println("rttpick: no command given");
            err.println(usage());
            return 2;
        }
        String command = args.get(0);
        List<String> rest = args.subList(1, args.size());
        try {
            switch (command) {
                case "ping":
                    return ping(CommandLine.parse(rest));
                case "pick":
                    return PickCommand.run(console, CommandLine.parse(rest), null);
                case "probers":
                    if (!rest.isEmpty()) {
                        throw new UsageException("probers takes no arguments, got " + Output.printable(rest.get(0)));
                    }
                    return new ProbersCommand().run(console.probers(), out);
                case "help":
                case "--help":
                case "-h":
                    out.println(usage());
                    return 0;
                default:
                    Command found = commands.get(command);
                    if (found != null) {
                        return found.run(rest, console);
                    }
                    if (ELSEWHERE.containsKey(command)) {
                        throw new UsageException(command + " needs " + ELSEWHERE.get(command)
                                + "'s jar on the class path (./rttpick adds it for " + command + ")");
                    }
                    throw new UsageException("unknown command '" + Output.printable(command) + "'");
            }
        } catch (UsageException e) {
            err.println("rttpick: " + Output.printableLines(e.getMessage()));
            err.println("run 'rttpick help' for usage");
            return 2;
        } catch (ProberUnavailableException e) {
            err.println("rttpick: " + Output.printableLines(e.getMessage()));
            return 2;
        } catch (Exception e) {
            err.println("rttpick: " + Output.printable(command) + " failed: " + Output.printableLines(String.valueOf(e)));
            return 1;
        }
    }

    private int ping(CommandLine c) {
        try (Prober prober = c.open(console.probers())) {
            return new PingCommand().run(c, prober, console.out());
        }
    }
}

package io.rttpick.cli;

import io.rttpick.prober.ProberUnavailableException;
import io.rttpick.prober.Probers;
import io.rttpick.selector.RttSelector;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Supplier;


/**
 * The {@code rttpick} command line: a table of {@link Command}s, ping, pick and probers built in,
 * serve, demo and bench found on the class path (the launcher adds their jars for those commands
 * only). The usage and each command's {@code --help} come from the table. Exit codes: 0 ran,
 * 1 {@code pick} found nothing reachable (or a command failed), 2 bad usage.
 */
public final class Main {
    /** The commands of other modules, by name: the jar each needs, for the message when it is missing. */
    private static final Map<String, String> ELSEWHERE = Map.of("serve", "rttpick-serve", "demo", "rttpick-bench",
            "bench", "rttpick-bench", "scrape-bench", "rttpick-bench");
    private static final List<String> ORDER = List.of("ping", "pick", "probers", "demo", "bench", "scrape-bench", "serve");
    /** Set to print an unexpected failure's stack trace under its one line. */
    static final String DEBUG_ENV = "RTTPICK_DEBUG";

    private final Console console;
    private final Map<String, Command> commands;

    /** With the built-in commands and those found on the class path. */
    public Main(PrintStream out, PrintStream err, Probers probers, Supplier<RttSelector> selector) {
        this(new Console(out, err, probers, selector, System.getenv()), found());
    }

    Main(Console console, Map<String, Command> found) {
        this.console = console;
        this.commands = new LinkedHashMap<>();
        for (Command c : List.of(new PingCommand(), new PickCommand(), new ProbersCommand())) {
            commands.put(c.name(), c);
        }
        found.forEach(commands::putIfAbsent);
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

    /** The commands in the order the usage lists them: the known ones first, then any other found. */
    private List<String> names() {
        List<String> names = new ArrayList<>(ORDER);
        commands.keySet().stream().filter(n -> !ORDER.contains(n)).forEach(names::add);
        return names;
    }

    String usage() {
        List<String> lines = new ArrayList<>(List.of("usage:"));
        for (String name : names()) {
            Command c = commands.get(name);
            lines.add(c != null ? "  " + c.usage() + "   " + c.summary()
                    : "  rttpick " + name + "   (not on this class path: it needs " + ELSEWHERE.get(name)
                            + "'s jar, which ./rttpick adds for " + name + ")");
        }
        // commands sharing one table (ping and pick) are listed once, under both names
        Map<String, List<String>> byOptions = new LinkedHashMap<>();
        for (String name : names()) {
            Command c = commands.get(name);
            if (c != null && !c.optionsHelp().isEmpty()) {
                byOptions.computeIfAbsent(c.optionsHelp(), k -> new ArrayList<>()).add(name);
            }
        }
        byOptions.forEach((help, names) -> {
            lines.add("");
            lines.add("options of " + String.join(" and ", names) + ":");
            lines.add(help);
        });
        lines.add("");
        lines.add("every command takes --help (or -h) for its own options");
        lines.add("addresses: host:port, 1.2.3.4:443, [2001:db8::1]:443, enode://<id>@host:port, "
                + "/ip4|/ip6|/dns4|/dns6|/dns/<host>/tcp/<port>");
        lines.add("system properties: -Drttpick.prober=NAME chooses the prober, -Drttpick.noNative=true disables native ones");
        lines.add("RTTPICK_DEBUG=1 prints the stack trace of an unexpected failure");
        return String.join("\n", lines);
    }

    /** One command's help: its usage line, what it does, its options. */
    private static String help(Command c) {
        String options = c.optionsHelp();
        return "usage: " + c.usage() + "\n  " + c.summary() + (options.isEmpty() ? "" : "\n\noptions:\n" + options);
    }

    public int run(List<String> args) {
        PrintStream out = console.out();
        PrintStream err = console.err();
        if (args.isEmpty()) {
            err.println("rttpick: no command given");
            err.println(usage());
            return 2;
        }
        String name = args.get(0);
        List<String> rest = args.subList(1, args.size());
        Command command = commands.get(name);
        try {
            if (name.equals("help") || name.equals("--help") || name.equals("-h")) {
                if (!rest.isEmpty() && commands.containsKey(rest.get(0))) {
                    out.println(help(commands.get(rest.get(0))));
                } else {
                    out.println(usage());
                }
                return 0;
            }
            if (command == null) {
                if (ELSEWHERE.containsKey(name)) {
                    throw new UsageException(name + " needs " + ELSEWHERE.get(name)
                            + "'s jar on the class path (./rttpick adds it for " + name + ")");
                }
                throw new UsageException("unknown command '" + Output.printable(name) + "'");
            }
            return command.run(rest, console);
        } catch (UsageException e) {
            if (e.helpAsked() && command != null) {
                out.println(help(command));
                return 0;
            }
            err.println("rttpick: " + Output.printableLines(e.getMessage()));
            err.println("run 'rttpick " + (command != null ? name + " --help" : "help") + "' for usage");
            return 2;
        } catch (ProberUnavailableException e) {
            err.println("rttpick: " + Output.printableLines(e.getMessage()));
            return 2;
        } catch (Exception | Error e) {
            // one line saying what failed; the trace only when asked for
            err.println("rttpick: " + Output.printable(name) + " failed: " + Output.printableLines(describe(e)));
            String debug = console.env().get(DEBUG_ENV);
            if (debug != null && !debug.isEmpty()) {
                e.printStackTrace(err);
            } else if (!(e instanceof IOException)) {
                err.println("rttpick: an internal error; RTTPICK_DEBUG=1 prints its stack trace");
            }
            return 1;
        }
    }

    /** An exception as a sentence: its message, with its kind only when it has none to say. */
    static String describe(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return e instanceof IOException || e instanceof IllegalArgumentException || e instanceof IllegalStateException
                ? message : e.getClass().getSimpleName() + ": " + message;
    }
}

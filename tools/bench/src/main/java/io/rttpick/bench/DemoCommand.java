package io.rttpick.bench;

import io.rttpick.cli.Command;
import io.rttpick.cli.CommandLine;
import io.rttpick.cli.Console;
import io.rttpick.cli.Options;
import io.rttpick.cli.Output;
import io.rttpick.cli.PickCommand;
import io.rttpick.cli.UsageException;
import io.rttpick.fleet.tun.FleetPlan;
import io.rttpick.fleet.tun.PlanFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code rttpick demo}: a pick over the seed fleet (Amsterdam 29 ms, Iowa 127 ms, Hong Kong 279 ms,
 * one dead), or the one {@code --plan FILE} describes, behind a TUN device, when the launcher
 * could start this JVM in a network namespace (root); else over a small fleet on loopback, saying
 * why. Takes pick's options.
 */
public final class DemoCommand implements Command {
    static final String USAGE = "rttpick demo [--plan F] [pick options]";

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public String summary() {
        return "a pick over the simulated seed fleet or plan F (root), else loopback";
    }

    /** --plan; the other options are pick's, listed with them. */
    @Override
    public String optionsHelp() {
        return withPlan(new Options("demo"), v -> { }).help() + "\n  and the options of ping and pick";
    }

    /** {@code options} with demo's own option, whose value goes to {@code plan}. */
    private static Options withPlan(Options options, Options.ValueHandler plan) {
        return options.value("--plan", "F", "the fleet of plan file F (root; the seed fleet by default)", plan);
    }

    @Override
    public int run(List<String> args, Console console) throws Exception {
        CommandLine c = new CommandLine();
        String[] planFile = {null};
        withPlan(CommandLine.options("demo", c), v -> planFile[0] = v).parse(args);
        if (c.hasAddresses()) {
            // they would join the simulated fleet unseen (probed inside its namespace): refused, named
            throw new UsageException("demo picks over its own fleet and takes no addresses (got "
                    + Output.printable(String.join(", ", c.addressesGiven())) + "); rttpick pick ADDRESS... picks over yours");
        }
        FleetPlan plan = planFile[0] == null ? FleetPlan.seed() : plan(planFile[0], console);
        try (DemoFleet fleet = DemoFleet.start(console.env(), plan)) {
            if (!fleet.isSimulated()) {
                console.err().println("rttpick: " + fleet.whyNotSimulated());
            }
            if (!c.timeoutGiven()) {
                c.timeout(Duration.ofMillis(fleet.isSimulated() ? 1000 : 500));
            }
            for (int i = 0; i < fleet.addresses().size(); i++) {
                c.add(fleet.addresses().get(i), fleet.names().get(i));
            }
            return PickCommand.run(console, c, fleet.description());
        }
    }

    private static FleetPlan plan(String file, Console console) throws UsageException {
        FleetPlan plan;
        try {
            plan = PlanFile.read(Path.of(file));
        } catch (IOException e) {
            throw new UsageException("cannot read --plan " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (console.env().get("RTTPICK_FLEET_DEVICE") == null) {
            throw new UsageException("--plan needs the simulated fleet: "
                    + console.env().getOrDefault("RTTPICK_FLEET_UNAVAILABLE", "run it through ./rttpick, as root"));
        }
        return plan;
    }
}

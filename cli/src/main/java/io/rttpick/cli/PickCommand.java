package io.rttpick.cli;

import io.rttpick.output.ResultJson;
import io.rttpick.prober.Prober;
import io.rttpick.selector.Bucket;
import io.rttpick.selector.RankedEndpoint;
import io.rttpick.selector.Ranking;
import io.rttpick.selector.RttSelector;
import io.rttpick.selector.Selection;
import java.io.PrintStream;
import java.util.List;

/** {@code rttpick pick}: the choice as soon as it is made, then the groups once every probe has ended. */
public final class PickCommand implements Command {
    /** The command, for the command table. */
    public PickCommand() {
        this.selector = null;
    }

    @Override
    public String name() {
        return "pick";
    }

    @Override
    public String usage() {
        return "rttpick pick [options] ADDRESS...";
    }

    @Override
    public String summary() {
        return "choose a server: the choice first, then the groups";
    }

    @Override
    public String optionsHelp() {
        return CommandLine.optionsHelp();
    }

    @Override
    public int run(List<String> args, Console console) throws UsageException {
        return run(console, CommandLine.parse(args), null);
    }

    /**
     * A pick as {@code c} asks, with the prober it names; unless {@code --json}, {@code header}
     * (what is being picked from) comes first, with the timeout and the prober.
     */
    public static int run(Console console, CommandLine c, String header) {
        try (Prober prober = c.open(console.probers())) {
            if (header != null && !c.json()) {
                console.out().println(header + " (timeout " + c.timeout().toMillis() + " ms); prober " + prober.name());
            }
            return new PickCommand(console.selector().get()).run(c, prober, console.out());
        }
    }

    private final RttSelector selector;

    PickCommand(RttSelector selector) {
        this.selector = selector;
    }

    /** @return 0, or 1 when nothing answered */
    int run(CommandLine c, Prober prober, PrintStream out) {
        Output output = new Output(out, c.addresses);
        Ranking ranking = selector.select(prober, c.addresses.addresses(), c.probeOptions())
                .doOnNext(e -> {
                    if (!c.json && e instanceof Selection) {
                        output.printChoice((Selection) e);
                        out.flush();
                    }
                })
                .ofType(Ranking.class)
                .blockLast();
        if (c.json) {
            out.println(Output.json(ResultJson.pick(ranking, output::name, prober.name())));
        } else {
            for (Bucket b : Bucket.values()) {
                for (RankedEndpoint r : ranking.bucket(b)) {
                    output.printRanked(r);
                }
            }
        }
        out.flush();
        return ranking.selection().chosen().isPresent() ? 0 : 1;
    }
}

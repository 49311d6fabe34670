package io.rttpick.cli;

import io.rttpick.prober.Prober;
import java.util.List;

/** {@code rttpick ping}: every sample, printed as it arrives. */
final class PingCommand implements Command {
    @Override
    public String name() {
        return "ping";
    }

    @Override
    public String usage() {
        return "rttpick ping [options] ADDRESS...";
    }

    @Override
    public String summary() {
        return "print every sample as it arrives";
    }

    @Override
    public String optionsHelp() {
        return CommandLine.optionsHelp();
    }

    @Override
    public int run(List<String> args, Console console) throws UsageException {
        CommandLine c = CommandLine.parse(args);
        try (Prober prober = c.open(console.probers())) {
            Output output = new Output(console.out(), c.addresses);
            prober.probe(c.addresses.addresses(), c.probeOptions())
                    .doOnNext(s -> output.printSample(s, c.json))
                    .blockLast();
            console.out().flush();
            return 0;
        }
    }
}

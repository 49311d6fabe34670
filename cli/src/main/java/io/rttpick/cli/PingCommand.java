package io.rttpick.cli;

import io.rttpick.prober.Prober;
import java.io.PrintStream;

/** {@code rttpick ping}: every sample, printed as it arrives. */
final class PingCommand {
    static final String USAGE = "rttpick ping [options] ADDRESS...";

    int run(CommandLine c, Prober prober, PrintStream out) {
        Output output = new Output(out, c.addresses);
        prober.probe(c.addresses.addresses(), c.probeOptions())
                .doOnNext(s -> output.printSample(s, c.json))
                .blockLast();
        out.flush();
        return 0;
    }
}

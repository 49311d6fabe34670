package io.rttpick.cli;

import io.rttpick.prober.ProberUnavailableException;
import io.rttpick.prober.Probers;
import io.rttpick.prober.spi.ProberProvider;
import java.io.PrintStream;
import java.util.Optional;

/** {@code rttpick probers}: what was found, what would be used, and why the others would not. */
final class ProbersCommand {
    int run(Probers probers, PrintStream out) {
        out.println("probers found (highest priority first):");
        out.println(probers.report());
        try {
            ProberProvider chosen = probers.choose(Optional.empty());
            out.println("would use: " + chosen.name() + " (" + chosen.description() + ")"
                    + probers.requestedName().map(n -> ", named by -D" + Probers.PROBER_PROPERTY).orElse(""));
            return 0;
        } catch (ProberUnavailableException e) {
            out.println("would use: none: " + e.getMessage().lines().findFirst().orElse(""));
            return 1;
        }
    }
}

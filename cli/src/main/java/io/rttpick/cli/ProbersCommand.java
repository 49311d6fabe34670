package io.rttpick.cli;

import io.rttpick.prober.ProberUnavailableException;
import io.rttpick.prober.Probers;
import io.rttpick.prober.spi.ProberProvider;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code rttpick probers}: what was found, what would be used, why the others would not, and where the rest come from. */
final class ProbersCommand implements Command {
    @Override
    public String name() {
        return "probers";
    }

    @Override
    public String usage() {
        return "rttpick probers";
    }

    @Override
    public String summary() {
        return "list probers, the one in use, why others are unavailable";
    }

    @Override
    public String optionsHelp() {
        return "";
    }

    @Override
    public int run(List<String> args, Console console) throws UsageException {
        new Options("probers").operands(a -> {
            throw new UsageException("probers takes no arguments, got " + Output.printable(a));
        }).parse(args);
        return run(console.probers(), console.out());
    }

    int run(Probers probers, PrintStream out) {
        out.println("probers found (highest priority first):");
        out.println(probers.report());
        Set<String> found = probers.candidates().stream().map(p -> p.name().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        List<String> elsewhere = KnownProbers.all().keySet().stream().filter(n -> !found.contains(n)).collect(Collectors.toList());
        if (!elsewhere.isEmpty()) {
            out.println("not on this class path:");
            elsewhere.forEach(n -> out.println("  " + n + ": " + KnownProbers.where(n)));
        }
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

package io.rttpick.cli;

import io.rttpick.prober.Probers;
import io.rttpick.selector.RttSelector;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The command line run in this process with what it prints kept, as {@code ./rttpick} would run
 * it (the commands on the class path found the same way): for tests, and for a program that
 * embeds the CLI. Output accumulates over runs until {@link #reset}.
 */
public final class CapturedRun {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    private final Main main;

    /** @param selector makes the selector pick and demo use (a seeded one makes draws repeatable) */
    public CapturedRun(Supplier<RttSelector> selector) {
        this.main = new Main(new PrintStream(out, true, StandardCharsets.UTF_8), errStream, Probers.load(), selector);
    }

    /** With a selector whose random draws come from {@code seed}: the same picks on every run. */
    public static CapturedRun seeded(long seed) {
        return new CapturedRun(() -> RttSelector.builder().random(new SplittableRandom(seed)::nextInt).build());
    }

    /** Runs {@code rttpick ARGS...}; returns its exit code. */
    public int run(String... args) {
        return main.run(List.of(args));
    }

    /** Everything printed to standard output so far. */
    public String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Everything printed to standard error so far. */
    public String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** The standard error stream the runs print to, for a command started some other way. */
    public PrintStream errStream() {
        return errStream;
    }

    /** Forgets what was printed. */
    public void reset() {
        out.reset();
        err.reset();
    }
}

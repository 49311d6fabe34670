package io.rttpick.cli;

import io.rttpick.prober.Probers;
import io.rttpick.selector.RttSelector;
import java.io.PrintStream;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a command runs with: its output streams, the probers found, a selector made when needed
 * (ping never needs one, and its SecureRandom costs start-up time) and the environment.
 */
public record Console(PrintStream out, PrintStream err, Probers probers, Supplier<RttSelector> selector,
        Map<String, String> env) {
}

package io.rttpick.examples.cli;

import io.rttpick.fleet.LoopbackFleet;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The fleet of {@code rttpick demo}: three listening servers, one that refuses and one that
 * never answers, all on loopback. Loopback has no distance, so every answering server is FAST:
 * the demo shows the mechanics (early choice, groups, dead servers last), not geography.
 */
final class DemoFleet implements AutoCloseable {
    static final String DESCRIPTION = "demo fleet on loopback: 3 listening servers, 1 refusing, 1 silent";

    private final LoopbackFleet fleet = new LoopbackFleet();
    private final List<String> addresses = new ArrayList<>();

    /** Starts the servers; {@link #close()} stops them. */
    DemoFleet() throws IOException {
        try {
            for (int i = 1; i <= 3; i++) {
                addresses.add(fleet.open());
            }
            addresses.add(fleet.closed());
            addresses.add(fleet.silent());
        } catch (IOException e) {
            fleet.close();
            throw e;
        }
    }

    List<String> addresses() {
        return List.copyOf(addresses);
    }

    @Override
    public void close() {
        fleet.close();
    }
}

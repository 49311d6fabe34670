package io.rttpick.examples;

import io.rttpick.prober.Prober;
import io.rttpick.prober.Probers;
import io.rttpick.selector.FleetChoice;
import io.rttpick.selector.FleetSelector.Trigger;
import io.rttpick.selector.FleetSelector;
import java.util.List;
import java.util.Optional;

/**
 * A client that keeps a server while it runs ({@code docs/fleet-selector.md}): it picks at start,
 * then its server fails and it moves to the next best at once, from the ranking it has, without
 * probing again inside the rate limit. Pass two or more addresses.
 */
public final class KeepAServer {
    private KeepAServer() {
    }

    public static void main(String[] args) {
        List<String> fleet = List.of(args);
        try (Prober prober = Probers.load().open(Optional.empty());
             FleetSelector servers = FleetSelector.builder(prober, fleet).build()) {
            FleetChoice first = servers.trigger(Trigger.START).block();          // a client would subscribe
            System.out.println("start: " + describe(first));
            if (first.server().isEmpty()) {
                return;
            }
            FleetChoice next = servers.reportFailure(first.server().get()).block();
            System.out.println("after " + first.server().get() + " failed: " + describe(next));
        }
    }

    private static String describe(FleetChoice c) {
        return c.server().map(s -> "use " + s + " (" + c.bucket().orElseThrow() + ", " + c.reason() + ")")
                .orElse("no server answered (" + c.reason() + ")");
    }
}

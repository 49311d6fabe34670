package io.rttpick.prober.android;

import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.prober.Probers;
import io.rttpick.selector.FleetChoice;
import io.rttpick.selector.FleetSelector;
import io.rttpick.selector.RankedEndpoint;
import io.rttpick.selector.RttSelector;
import io.rttpick.selector.Selection;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/** A small app of the kind that takes rttpick: it is what ShrunkConsumerTest shrinks with ProGuard and runs. */
public final class ShrinkConsumer {
    private ShrinkConsumer() {
    }

    public static void main(String[] args) {
        Probers probers = Probers.load();
        for (Probers.Candidate c : probers.candidates()) {
            System.out.println("provider " + c.name() + " " + (c.available() ? "available" : "unavailable"));
        }
        try (Prober prober = probers.open(Optional.empty())) {
            Selection s = RttSelector.create().pick(prober, Arrays.asList(args), ProbeOptions.defaults()).block(Duration.ofSeconds(20));
            System.out.println("prober " + prober.name());
            System.out.println("chosen " + s.chosen().map(RankedEndpoint::address).orElse("nothing"));
            System.out.println("handshake " + s.chosen().map(r -> r.samples().get(0).handshake().name()).orElse("-"));
            // the fleet selector too: its serial queue and its replaying sink of changes
            try (FleetSelector fleet = FleetSelector.builder(prober, Arrays.asList(args)).build()) {
                FleetChoice c = fleet.trigger(FleetSelector.Trigger.START).block(Duration.ofSeconds(20));
                System.out.println("fleet chose " + c.server().orElse("nothing") + " " + c.reason());
                System.out.println("fleet changes " + fleet.changes().blockFirst(Duration.ofSeconds(5)).server().orElse("nothing"));
            }
        }
    }
}

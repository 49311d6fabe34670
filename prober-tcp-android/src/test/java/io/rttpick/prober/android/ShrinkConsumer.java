package io.rttpick.prober.android;

import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.prober.Probers;
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
        }
    }
}

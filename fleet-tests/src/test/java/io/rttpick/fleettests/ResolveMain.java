package io.rttpick.fleettests;

import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.prober.Probers;
import io.rttpick.prober.RttSample;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Probes its arguments with the default (system) resolver and prints each outcome: run in a namespace whose DNS a test watches. */
public final class ResolveMain {
    private ResolveMain() {
    }

    public static void main(String[] args) {
        try (Prober prober = Probers.load().open(Optional.of("connect"))) {
            List<RttSample> samples = prober.probe(Arrays.asList(args), ProbeOptions.builder().timeout(Duration.ofSeconds(2)).build())
                    .collectList().block(Duration.ofSeconds(60));
            for (RttSample s : samples) {
                System.out.println("sample " + s.address() + " " + s.outcome() + " " + s.resolved().map(Object::toString).orElse("-")
                        + " " + s.error().orElse(""));
            }
        }
    }
}

package io.rttpick.examples;

import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.prober.Probers;
import io.rttpick.selector.RttSelector;
import io.rttpick.selector.Selection;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The README's example, kept compiling: pick one of the addresses given on the command line. */
public final class QuickStart {
    private QuickStart() {
    }

    public static void main(String[] args) {
        List<String> fleet = List.of(args);
        try (Prober prober = Probers.load().open(Optional.empty())) {     // best available prober
            Selection selection = RttSelector.create()
                    .pick(prober, fleet, ProbeOptions.builder().timeout(Duration.ofMillis(500)).build())
                    .block();                                              // or compose the Mono
            System.out.println(selection.chosen()
                    .map(s -> "use " + s.address() + " (" + s.bucket() + ", " + s.rttMicros().getAsLong() + " us)")
                    .orElse("no server answered"));
        }
    }
}

package io.rttpick.selector;

import io.rttpick.prober.ForwardingProber;
import io.rttpick.prober.ProbeEvent;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import reactor.core.publisher.Flux;

/** A prober that notes each probe round it is asked for: when, and which servers. */
final class RecordingProber extends ForwardingProber {
    /** A round: its time (the clock's nanos) and its servers. */
    static final class Round {
        final long nanos;
        final List<String> servers;

        Round(long nanos, List<String> servers) {
            this.nanos = nanos;
            this.servers = List.copyOf(servers);
        }

        @Override
        public String toString() {
            return servers.size() + " servers at " + nanos / 1_000_000 + " ms";
        }
    }

    final List<Round> rounds = new ArrayList<>();
    private final LongSupplier clock;

    RecordingProber(Prober delegate, LongSupplier clock) {
        super(delegate);
        this.clock = clock;
    }

    @Override
    public Flux<ProbeEvent> events(List<String> addresses, ProbeOptions options) {
        synchronized (rounds) {
            rounds.add(new Round(clock.getAsLong(), addresses));
        }
        return super.events(addresses, options);
    }

    Round last() {
        return rounds.get(rounds.size() - 1);
    }
}

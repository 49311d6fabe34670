package io.rttpick.selector;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The choice: one server drawn at random from the fastest group, and when it was made. Made
 * early, as soon as no answer still out could change the group drawn from, or when all probes
 * ended; an early choice is always one that waiting for every answer could have given.
 */
public final class Selection implements SelectorEvent {
    private final RankedEndpoint chosen;
    private final List<RankedEndpoint> group;
    private final Duration decidedAfter;
    private final boolean early;
    private final List<RankedEndpoint> entries;

    Selection(RankedEndpoint chosen, List<RankedEndpoint> group, Duration decidedAfter, boolean early,
            List<RankedEndpoint> entries) {
        this.chosen = chosen;
        this.group = List.copyOf(group);
        this.decidedAfter = decidedAfter;
        this.early = early;
        this.entries = List.copyOf(entries);
    }

    /**
     * The ranking as it stood when the choice was made: complete unless {@link #early()}, else
     * with the servers still being measured as {@link Bucket#MEASURING}.
     */
    public Ranking rankingAtDecision() {
        return new Ranking(entries, this, !early);
    }

    /** The server to use; empty when nothing answered. */
    public Optional<RankedEndpoint> chosen() {
        return Optional.ofNullable(chosen);
    }

    /** The group it was drawn from; empty when nothing was chosen. */
    public Optional<Bucket> bucket() {
        return chosen().map(RankedEndpoint::bucket);
    }

    /** Every server of that group at the time of the choice, in input order. */
    public List<RankedEndpoint> group() {
        return group;
    }

    /** Time from the start of the selection to the choice. */
    public Duration decidedAfter() {
        return decidedAfter;
    }

    /** True when made before every probe had ended. */
    public boolean early() {
        return early;
    }

    @Override
    public String toString() {
        return "Selection[" + (chosen == null ? "nothing" : chosen) + " of " + group.size()
                + " after " + decidedAfter.toNanos() / 1_000 + "us" + (early ? ", early" : "") + "]";
    }
}

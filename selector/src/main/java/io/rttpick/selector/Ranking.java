package io.rttpick.selector;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Every address by group, then loss, then RTT; servers with no answer last. Complete once all
 * probes have ended; a ranking taken at an early decision ({@link Selection#rankingAtDecision()})
 * is not, and its servers still being measured are {@link Bucket#MEASURING}, after the rest.
 */
public final class Ranking implements SelectorEvent {
    private final List<RankedEndpoint> entries;
    private final Selection selection;
    private final boolean complete;

    Ranking(List<RankedEndpoint> entries, Selection selection, boolean complete) {
        this.entries = List.copyOf(entries);
        this.selection = selection;
        this.complete = complete;
    }

    public List<RankedEndpoint> entries() {
        return entries;
    }

    /** The choice made during the run (possibly early). */
    public Selection selection() {
        return selection;
    }

    /** True when every probe had ended: no entry is {@link Bucket#MEASURING}. */
    public boolean complete() {
        return complete;
    }

    public List<RankedEndpoint> bucket(Bucket bucket) {
        return entries.stream().filter(e -> e.bucket() == bucket).collect(Collectors.toList());
    }

    @Override
    public String toString() {
        return "Ranking" + (complete ? "" : "(incomplete)") + entries;
    }
}

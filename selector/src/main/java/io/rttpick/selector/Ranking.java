package io.rttpick.selector;

import java.util.List;
import java.util.stream.Collectors;

/** Every address once all probes have ended: by group, then RTT; servers with no answer last. */
public final class Ranking implements SelectorEvent {
    private final List<RankedEndpoint> entries;
    private final Selection selection;

    Ranking(List<RankedEndpoint> entries, Selection selection) {
        this.entries = List.copyOf(entries);
        this.selection = selection;
    }

    public List<RankedEndpoint> entries() {
        return entries;
    }

    /** The choice made during the run (possibly early). */
    public Selection selection() {
        return selection;
    }

    public List<RankedEndpoint> bucket(Bucket bucket) {
        return entries.stream().filter(e -> e.bucket() == bucket).collect(Collectors.toList());
    }

    @Override
    public String toString() {
        return "Ranking" + entries;
    }
}

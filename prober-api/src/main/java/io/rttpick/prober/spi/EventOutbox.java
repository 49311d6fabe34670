package io.rttpick.prober.spi;

import io.rttpick.prober.ProbeEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Events of the event loop, handed to their runs in bursts instead of one at a time. Handing an
 * event to an idle delivery thread wakes it (a futex wake and the scheduler's work, on the
 * loop's own CPU time); a burst pays that once. Event-loop thread only.
 */
final class EventOutbox {
    /** Held at most this many: a long burst of answers should not hold the first one back long. */
    static final int MAX_HELD = 256;

    private final List<ProbeRun> runs = new ArrayList<>(MAX_HELD);
    private final List<ProbeEvent> events = new ArrayList<>(MAX_HELD);

    void add(ProbeRun run, ProbeEvent event) {
        runs.add(run);
        events.add(event);
        if (events.size() >= MAX_HELD) {
            flush();
        }
    }

    /** Hands every held event to its run, in the order they came. */
    void flush() {
        for (int i = 0; i < events.size(); i++) {
            runs.get(i).sink.next(events.get(i));
        }
        runs.clear();
        events.clear();
    }
}

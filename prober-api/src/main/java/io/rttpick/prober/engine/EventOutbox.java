package io.rttpick.prober.engine;

import io.rttpick.prober.ProbeEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Events of the event loop, handed to their runs in batches instead of one at a time. Handing
 * an event to an idle delivery thread wakes it (a futex wake and the scheduler's work, on the
 * loop's own CPU time), and on a busy machine the woken thread takes the loop's CPU at once: one
 * event at a time, that happened for nearly every event. A batch pays it once. Event-loop thread
 * only.
 */
final class EventOutbox {
    /** Held at most this many: a long burst of answers should not hold the first one back long. */
    static final int MAX_HELD = 256;

    private final List<ProbeRun<?>> runs = new ArrayList<>(MAX_HELD);
    private final List<ProbeEvent> events = new ArrayList<>(MAX_HELD);

    void add(ProbeRun<?> run, ProbeEvent event) {
        runs.add(run);
        events.add(event);
        if (events.size() >= MAX_HELD) {
            flush();
        }
    }

    /** Hands every held event to its run, in the order they came: each run's in one batch. */
    void flush() {
        if (events.isEmpty()) {
            return;
        }
        Map<ProbeRun<?>, List<ProbeEvent>> byRun = new LinkedHashMap<>();
        for (int i = 0; i < events.size(); i++) {
            byRun.computeIfAbsent(runs.get(i), r -> new ArrayList<>()).add(events.get(i));
        }
        runs.clear();
        events.clear();
        byRun.forEach((run, batch) -> run.emit(batch));
    }
}

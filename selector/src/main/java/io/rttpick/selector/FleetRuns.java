package io.rttpick.selector;

import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;

/**
 * The fleet selector's probe runs under way: each started with the policy's rules read live from
 * the latest snapshot, its decisions and its end reported as {@link FleetEvent}s. Touched only
 * from the selector's serial queue; the events come from the prober's thread, to be queued.
 */
final class FleetRuns {
    private final Prober prober;
    private final ProbeOptions options;
    private final RttSelector selector;
    private final DrawRules rules;
    private final Consumer<FleetEvent> events;
    private final Map<Long, Run> runs = new HashMap<>();

    /** A run under way: its subscription, and where it is asked to decide again. */
    private static final class Run {
        final Sinks.Many<Boolean> decideAgain = Sinks.many().multicast().directBestEffort();
        Disposable subscription;
    }

    /**
     * @param rules the policy's latest snapshot, read by the run from its own thread without a lock
     * @param events where decisions and ends go (the selector queues them)
     */
    FleetRuns(Prober prober, ProbeOptions options, RttSelector selector, Supplier<DrawSnapshot> rules,
            Consumer<FleetEvent> events) {
        this.prober = prober;
        this.options = options;
        this.selector = selector;
        this.events = events;
        this.rules = new DrawRules() {
            @Override
            public boolean drawable(String address, long nowNanos) {
                return rules.get().drawable(address, nowNanos);
            }

            @Override
            public String keptServer() {
                return rules.get().keptServer();
            }

            @Override
            public long keepMarginMicros() {
                return rules.get().keepMarginMicros();
            }
        };
    }

    void start(long id, List<String> servers) {
        Run run = new Run();
        runs.put(id, run);
        Ranking[] complete = new Ranking[1];
        Throwable[] failed = new Throwable[1];
        run.subscription = selector.select(servers, options.samplesPerEndpoint(), prober.events(servers, options), rules,
                        run.decideAgain.asFlux())
                .doFinally(signal -> events.accept(new FleetEvent.Ended(id, complete[0], failed[0])))
                .subscribe(event -> {
                    if (event instanceof Selection) {
                        events.accept(new FleetEvent.Decided(id, (Selection) event));
                    } else {
                        complete[0] = (Ranking) event;
                    }
                }, error -> failed[0] = error);
    }

    /** The run has ended (its end event was handled). */
    void ended(long id) {
        runs.remove(id);
    }

    /** Asks a run still under way to decide again at its next moment of certainty. */
    void decideAgain(long id) {
        Run run = runs.get(id);
        if (run != null) {
            run.decideAgain.tryEmitNext(Boolean.TRUE);
        }
    }

    /** Cancels every run under way (their sockets are closed). */
    void stopAll() {
        List<Run> stop = new ArrayList<>(runs.values());
        runs.clear();
        stop.forEach(r -> r.subscription.dispose());
    }
}

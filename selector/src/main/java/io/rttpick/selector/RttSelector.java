package io.rttpick.selector;

import io.rttpick.prober.ProbeEvent;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Groups probe results into FAST / AVERAGE / SLOW / NONE and draws the server at random from
 * the fastest group, so that equally good servers share the load.
 *
 * <p>The choice is made early, as soon as no answer still out can change the group it is drawn
 * from: with one sample per address, once every address has answered or been in flight longer
 * than the FAST bound (counted from its own start), since nothing still out can then join the
 * FAST group. An early choice is always one that waiting for every answer could have given, up
 * to the random draw among equals. With several samples per address, an address that has
 * answered holds the decision until its last answer is in (its next one could still be lost or
 * slow), so early decisions then gain where servers are dead or slow. The full ranking follows
 * when every probe has ended.
 */
public final class RttSelector {
    private final BucketPolicy policy;
    private final RandomDraw random;
    private final SelectorClock clock;

    private RttSelector(SelectorBuilder<?> b) {
        this.policy = b.policy;
        this.random = b.randomOrSecure();
        this.clock = b.selectorClock();
    }

    /** A selector with a fleet selector's shared options. */
    static RttSelector of(SelectorBuilder<?> options) {
        return new RttSelector(options);
    }

    /** The default policy with a {@link SecureRandom}. */
    public static RttSelector create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public BucketPolicy policy() {
        return policy;
    }

    /** Probes the addresses and reports the {@link Selection}, then the {@link Ranking}. */
    public Flux<SelectorEvent> select(Prober prober, List<String> addresses, ProbeOptions options) {
        return select(addresses, options.samplesPerEndpoint(), prober.events(addresses, options));
    }

    /** The choice alone: probes still in flight when it is made are cancelled (their sockets closed). */
    public Mono<Selection> pick(Prober prober, List<String> addresses, ProbeOptions options) {
        return select(prober, addresses, options).ofType(Selection.class).next();
    }

    /** Waits for every probe and returns the full ranking (with the choice in it). */
    public Mono<Ranking> rank(Prober prober, List<String> addresses, ProbeOptions options) {
        return select(prober, addresses, options).ofType(Ranking.class).last();
    }

    /**
     * Selects from a stream of probe events for {@code addresses} (the events' indexes point into
     * that list). Time is read from the clock scheduler when each event arrives.
     */
    public Flux<SelectorEvent> select(List<String> addresses, int samplesPerEndpoint, Flux<ProbeEvent> events) {
        return select(addresses, samplesPerEndpoint, events, DrawRules.ANY);
    }

    /** As {@link #select(List, int, Flux)}, deciding early only when certain of the choice under {@code rules}. */
    Flux<SelectorEvent> select(List<String> addresses, int samplesPerEndpoint, Flux<ProbeEvent> events, DrawRules rules) {
        return select(addresses, samplesPerEndpoint, events, rules, Flux.never());
    }

    /**
     * As above; each signal of {@code decideAgain} asks the run, once it has decided, to decide
     * once more at the next moment of certainty under the rules as they are then (a failover that
     * found nothing usable in what was known): a second {@link Selection} follows, or the ranking
     * alone when every answer is in first.
     */
    Flux<SelectorEvent> select(List<String> addresses, int samplesPerEndpoint, Flux<ProbeEvent> events, DrawRules rules,
            Flux<?> decideAgain) {
        List<String> copy = List.copyOf(addresses);
        return Flux.create(sink -> new Run(copy, samplesPerEndpoint, rules, sink).start(events, decideAgain));
    }

    /** One subscription: events and timer wake-ups meet here, one at a time. */
    private final class Run {
        private final SelectionTracker tracker;
        private final DrawRules rules;
        private final Scheduler scheduler;
        private final FluxSink<SelectorEvent> sink;
        private final long startNanos;
        /** The latest decision; null while one is awaited (at the start, or when asked to decide again). */
        private Selection selection;
        /** The latest decision made: the one the ranking names when another is still awaited at the end. */
        private Selection last;
        private boolean ended;
        private Disposable timer;
        private long timerDue = Long.MIN_VALUE;

        Run(List<String> addresses, int samples, DrawRules rules, FluxSink<SelectorEvent> sink) {
            this.tracker = new SelectionTracker(addresses, samples, policy, random);
            this.rules = rules;
            this.scheduler = clock.timers();
            this.sink = sink;
            this.startNanos = now();
        }

        void start(Flux<ProbeEvent> events, Flux<?> decideAgain) {
            Disposable upstream = events.subscribe(this::onEvent, this::onError, this::onComplete);
            Disposable again = decideAgain.subscribe(x -> onDecideAgain());
            sink.onDispose(() -> {
                upstream.dispose();
                again.dispose();
                cancelTimer();
            });
            synchronized (this) {
                consider();
            }
        }

        private long now() {
            return clock.nowNanos();
        }

        private synchronized void onEvent(ProbeEvent event) {
            tracker.onEvent(event, now());
            consider();
        }

        private synchronized void onTimer() {
            timer = null;
            timerDue = Long.MIN_VALUE;
            consider();
        }

        private synchronized void onDecideAgain() {
            if (selection != null && !ended) {
                selection = null;
                consider();
            }
        }

        private synchronized void onError(Throwable error) {
            cancelTimer();
            sink.error(error);
        }

        private synchronized void onComplete() {
            cancelTimer();
            ended = true;
            if (last == null) {
                selection = tracker.select(elapsed(), rules, now());
                sink.next(selection);
            }
            sink.next(tracker.ranking(selection != null ? selection : last));
            sink.complete();
        }

        /** Decides if it can; otherwise sets the timer for the moment it can. */
        private void consider() {
            if (selection != null) {
                return;
            }
            long due = tracker.decision(now(), rules);
            if (due == SelectionTracker.DECIDE_NOW) {
                cancelTimer();
                selection = tracker.select(elapsed(), rules, now());
                last = selection;
                sink.next(selection);
            } else if (due != SelectionTracker.WAIT_FOR_EVENTS && due != timerDue) {
                cancelTimer();
                timerDue = due;
                timer = scheduler.schedule(this::onTimer, Math.max(0, due - now()), TimeUnit.NANOSECONDS);
            }
        }

        private void cancelTimer() {
            if (timer != null) {
                timer.dispose();
                timer = null;
            }
            timerDue = Long.MIN_VALUE;
        }

        private Duration elapsed() {
            return Duration.ofNanos(now() - startNanos);
        }
    }

    /** {@link RttSelector}'s options: those of {@link SelectorBuilder}. */
    public static final class Builder extends SelectorBuilder<Builder> {
        private Builder() {
        }

        public RttSelector build() {
            return new RttSelector(this);
        }
    }
}

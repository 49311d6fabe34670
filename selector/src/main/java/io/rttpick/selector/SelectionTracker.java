package io.rttpick.selector;

import io.rttpick.prober.Outcome;
import io.rttpick.prober.ProbeEvent;
import io.rttpick.prober.RttSample;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.random.RandomGenerator;

/**
 * The state of one selection: what each address has answered, and whether the choice can be
 * made yet. Every update is O(1) amortised (but for the rare loss of the best median), so that
 * a run over 10,000 addresses costs nothing next to the probes. Not thread-safe.
 */
final class SelectionTracker {

    /** When the choice can be made. */
    static final long DECIDE_NOW = 0;
    static final long WAIT_FOR_EVENTS = -1;

    private final int samplesPerEndpoint;
    private final BucketPolicy policy;
    private final RandomGenerator random;
    private final State[] states;
    /** Addresses whose last attempt is in flight, in the order they started (our clock is monotonic). */
    private final ArrayDeque<State> lastAttemptStarts = new ArrayDeque<>();
    private int done;
    private int lastAttemptsInFlight;
    private long best = -1;
    private int bestIndex = -1;

    SelectionTracker(List<String> addresses, int samplesPerEndpoint, BucketPolicy policy, RandomGenerator random) {
        this.samplesPerEndpoint = samplesPerEndpoint;
        this.policy = policy;
        this.random = random;
        this.states = new State[addresses.size()];
        for (int i = 0; i < states.length; i++) {
            states[i] = new State(i, addresses.get(i));
        }
    }

    void onEvent(ProbeEvent event, long nowNanos) {
        if (event.index() < 0 || event.index() >= states.length) {
            throw new IllegalArgumentException("event for address #" + event.index() + " of " + states.length + ": " + event);
        }
        State s = states[event.index()];
        if (event instanceof ProbeEvent.Started) {
            if (((ProbeEvent.Started) event).attempt() == samplesPerEndpoint - 1 && !s.lastInFlight) {
                s.lastInFlight = true;
                s.lastStartNanos = nowNanos;
                lastAttemptsInFlight++;
                lastAttemptStarts.addLast(s);
            }
        } else if (event instanceof ProbeEvent.Completed) {
            onSample(s, ((ProbeEvent.Completed) event).sample());
        }
    }

    private void onSample(State s, RttSample sample) {
        s.samples.add(sample);
        if (s.lastInFlight && sample.attempt() == samplesPerEndpoint - 1) {
            s.lastInFlight = false;
            lastAttemptsInFlight--;
        }
        // invalid and unresolvable addresses get one sample however many were asked for
        boolean final_ = s.samples.size() >= samplesPerEndpoint
                || sample.outcome() == Outcome.INVALID || sample.outcome() == Outcome.RESOLVE_FAILED;
        if (final_ && !s.done) {
            s.done = true;
            done++;
        }
        if (sample.isOk()) {
            long before = s.median;
            s.median = median(s.samples);
            if (best < 0 || s.median < best) {
                best = s.median;
                bestIndex = s.index;
            } else if (s.index == bestIndex && s.median > before) {
                recomputeBest();
            }
        }
    }

    private void recomputeBest() {
        best = -1;
        bestIndex = -1;
        for (State s : states) {
            if (s.median >= 0 && (best < 0 || s.median < best)) {
                best = s.median;
                bestIndex = s.index;
            }
        }
    }

    boolean allDone() {
        return done == states.length;
    }

    /**
     * {@link #DECIDE_NOW}; {@link #WAIT_FOR_EVENTS}; or the clock time (nanos) at which the
     * newest address in flight will have been out longer than the FAST bound.
     */
    long decision(long nowNanos) {
        if (allDone()) {
            return DECIDE_NOW;
        }
        OptionalLong fastMax = policy.fastMaxMicros(bestOrEmpty());
        if (best < 0 || fastMax.isEmpty() || best > fastMax.getAsLong()) {
            return WAIT_FOR_EVENTS; // no FAST group yet
        }
        if (lastAttemptsInFlight != states.length - done) {
            return WAIT_FOR_EVENTS; // some address has not started its last attempt
        }
        State newest;
        while ((newest = lastAttemptStarts.peekLast()) != null && !newest.lastInFlight) {
            lastAttemptStarts.pollLast();
        }
        if (newest == null) {
            return DECIDE_NOW;
        }
        long due = newest.lastStartNanos + fastMax.getAsLong() * 1_000 + 1;
        return due <= nowNanos ? DECIDE_NOW : due;
    }

    private OptionalLong bestOrEmpty() {
        return best < 0 ? OptionalLong.empty() : OptionalLong.of(best);
    }

    /** Draws uniformly from the fastest non-empty group (its members with the least loss). */
    Selection select(Duration elapsed) {
        List<RankedEndpoint> ranked = rankAll();
        Bucket fastest = ranked.isEmpty() ? Bucket.NONE : ranked.get(0).bucket();
        if (fastest == Bucket.NONE) {
            return new Selection(null, List.of(), elapsed, !allDone());
        }
        List<RankedEndpoint> group = RankedEndpoint.drawGroup(ranked);
        RankedEndpoint chosen = group.get(random.nextInt(group.size()));
        return new Selection(chosen, group, elapsed, !allDone());
    }

    Ranking ranking(Selection selection) {
        return new Ranking(rankAll(), selection);
    }

    private List<RankedEndpoint> rankAll() {
        List<RankedEndpoint> list = new ArrayList<>(states.length);
        for (State s : states) {
            Bucket bucket = s.median < 0 ? Bucket.NONE : policy.classify(s.median, best);
            list.add(new RankedEndpoint(s.index, s.address, bucket, s.samples));
        }
        list.sort(RankedEndpoint.ORDER);
        return list;
    }

    /** Median of the clean OK samples (see {@link SampleSummary}); -1 when there is none. */
    static long median(List<RttSample> samples) {
        return SampleSummary.of(samples).medianMicros;
    }

    private static final class State {
        final int index;
        final String address;
        final List<RttSample> samples = new ArrayList<>(1);
        boolean done;
        boolean lastInFlight;
        long lastStartNanos;
        long median = -1;

        State(int index, String address) {
            this.index = index;
            this.address = address;
        }
    }
}

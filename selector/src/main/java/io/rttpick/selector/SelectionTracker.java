package io.rttpick.selector;

import io.rttpick.prober.Outcome;
import io.rttpick.prober.ProbeEvent;
import io.rttpick.prober.RttSample;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The state of one selection: what each address has answered, and whether the choice can be
 * made yet.
 *
 * <p>The rule: decide early only when no sample still out can change the set the chooser would
 * draw from once every sample is in (see {@link #decision}). Updates are O(1) amortised and the
 * decision is O(1) while time alone keeps it open, so a run over 10,000 addresses costs nothing
 * next to the probes; the O(n) check runs only once nothing cheap rules the decision out. Not
 * thread-safe.
 */
final class SelectionTracker {

    /** When the choice can be made. */
    static final long DECIDE_NOW = 0;
    static final long WAIT_FOR_EVENTS = -1;

    private final int samplesPerEndpoint;
    private final BucketPolicy policy;
    private final RandomDraw random;
    private final State[] states;
    /** Pending addresses whose last attempt has started, in the order they started (our clock is monotonic). */
    private final ArrayDeque<State> lastAttemptStarts = new ArrayDeque<>();
    /** Pending addresses that have an OK sample already: their RTT bounds their final median from below. */
    private final Set<State> pendingWithAnswer = new LinkedHashSet<>();
    private Map<String, State> byAddress;
    private int done;
    private int lastStartedPending;
    /** The best median among addresses with every sample in; -1 before the first. Never grows. */
    private long bestDone = -1;

    SelectionTracker(List<String> addresses, int samplesPerEndpoint, BucketPolicy policy, RandomDraw random) {
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
            if (((ProbeEvent.Started) event).attempt() == samplesPerEndpoint - 1 && !s.lastStarted && !s.done) {
                s.lastStarted = true;
                s.lastStartNanos = nowNanos;
                lastStartedPending++;
                lastAttemptStarts.addLast(s);
            }
        } else if (event instanceof ProbeEvent.Completed) {
            onSample(s, ((ProbeEvent.Completed) event).sample());
        }
    }

    private void onSample(State s, RttSample sample) {
        if (s.done) {
            return;
        }
        s.samples.add(sample);
        if (sample.isOk()) {
            s.minOk = Math.min(s.minOk, sample.rttMicros().getAsLong());
            s.median = median(s.samples);
        }
        if (!sample.isOk() || SampleSummary.retransmitted(sample)) {
            s.notClean++;
        }
        // invalid and unresolvable addresses get one sample however many were asked for
        boolean final_ = s.samples.size() >= samplesPerEndpoint
                || sample.outcome() == Outcome.INVALID || sample.outcome() == Outcome.RESOLVE_FAILED;
        if (final_) {
            s.done = true;
            done++;
            pendingWithAnswer.remove(s);
            if (s.lastStarted) {
                lastStartedPending--;
            }
            if (s.median >= 0 && (bestDone < 0 || s.median < bestDone)) {
                bestDone = s.median;
            }
        } else if (sample.isOk()) {
            pendingWithAnswer.add(s);
        }
    }

    boolean allDone() {
        return done == states.length;
    }

    /**
     * {@link #DECIDE_NOW}; {@link #WAIT_FOR_EVENTS}; or the clock time (nanos) before which the
     * choice cannot be made unless an event comes.
     *
     * <p>The choice is certain when, with b the best median of the addresses that the rules let be
     * drawn and that have every sample in, G the best group among them (relative to b), and X the
     * upper bound of G given b:
     * <ul>
     *   <li>every address with samples out will end with a median above X (its answers so far and
     *       the time its newest attempt has been out bound its median from below): none of them
     *       can lower b or join G, so G's members, their losses and the least loss among them are
     *       final;</li>
     *   <li>the server the rules keep, if it has samples out, can no longer be kept: its loss
     *       already exceeds the least loss in G, or its median cannot come within the margin of
     *       the best in G.</li>
     * </ul>
     * An address that has not started its last attempt could still answer at any RTT; so could
     * one whose best group would be SLOW (unbounded above). With one sample per address this is
     * the rule "decide once everything still out has been out longer than the FAST bound"; with
     * several, an address that has answered once holds the decision until its last answer, so
     * early decisions come from servers that are dead or slow. The cheap checks first use the best
     * median of all (never above b) and every address out, drawable or not: they can only hold a
     * decision back, never make one that the full check would not.
     */
    long decision(long nowNanos, DrawRules rules) {
        if (allDone()) {
            return DECIDE_NOW;
        }
        if (lastStartedPending != states.length - done || bestDone < 0) {
            return WAIT_FOR_EVENTS;
        }
        // cheap necessary conditions first: everything out must end above the FAST bound at least
        OptionalLong fastMax = policy.fastMaxMicros(OptionalLong.of(bestDone));
        if (!fastMax.isPresent()) {
            return WAIT_FOR_EVENTS;
        }
        long newestStart = newestPendingStart();
        long floor = Math.max(fastMax.getAsLong(), bestDone);
        if (lowestPendingAnswer() <= floor) {
            return WAIT_FOR_EVENTS;
        }
        long due = newestStart + floor * 1_000 + 1;
        if (due > nowNanos) {
            return due;
        }
        return certainty(nowNanos, rules);
    }

    /**
     * The O(n) part of {@link #decision}: the group drawn from, and the server kept. Groups are
     * relative to the best server that may be drawn (see {@link DrawGroup}), not to the best of
     * all: after a failure, the servers left are grouped among themselves.
     */
    private long certainty(long nowNanos, DrawRules rules) {
        long bestDrawable = -1;
        for (State s : states) {
            if (s.done && s.median >= 0 && (bestDrawable < 0 || s.median < bestDrawable) && rules.drawable(s.address, nowNanos)) {
                bestDrawable = s.median;
            }
        }
        if (bestDrawable < 0) {
            return WAIT_FOR_EVENTS; // no drawable server has all its answers in yet
        }
        State best = null;
        Bucket bestBucket = null;
        for (State s : states) {
            if (!s.done || s.median < 0 || !rules.drawable(s.address, nowNanos)) {
                continue;
            }
            Bucket b = policy.classify(s.median, bestDrawable);
            if (best == null || b.compareTo(bestBucket) < 0
                    || (b == bestBucket && (s.loss() < best.loss() || (s.loss() == best.loss() && s.median < best.median)))) {
                best = s;
                bestBucket = b;
            }
        }
        OptionalLong upper = bestBucket == Bucket.FAST ? policy.fastMaxMicros(OptionalLong.of(bestDrawable))
                : bestBucket == Bucket.AVERAGE ? policy.averageMaxMicros(OptionalLong.of(bestDrawable)) : OptionalLong.empty();
        if (!upper.isPresent()) {
            return WAIT_FOR_EVENTS; // SLOW has no upper bound: anything still out could join it
        }
        long bound = Math.max(upper.getAsLong(), bestDrawable);
        if (lowestPendingAnswer() <= bound) {
            return WAIT_FOR_EVENTS;
        }
        long due = newestPendingStart() + bound * 1_000 + 1;
        State kept = kept(rules, nowNanos);
        if (kept != null && (double) kept.notClean / samplesPerEndpoint <= best.loss()) {
            long keepBound = best.median + rules.keepMarginMicros();
            if (kept.minOk <= keepBound) {
                return WAIT_FOR_EVENTS;
            }
            due = Math.max(due, kept.lastStartNanos + keepBound * 1_000 + 1);
        }
        return due <= nowNanos ? DECIDE_NOW : due;
    }

    /** The server the rules would keep, when it still has samples out and may be drawn. */
    private State kept(DrawRules rules, long nowNanos) {
        String address = rules.keptServer();
        if (address == null) {
            return null;
        }
        if (byAddress == null) {
            byAddress = new HashMap<>();
            for (State s : states) {
                byAddress.putIfAbsent(s.address, s);
            }
        }
        State s = byAddress.get(address);
        return s == null || s.done || !rules.drawable(address, nowNanos) ? null : s;
    }

    private long newestPendingStart() {
        State newest;
        while ((newest = lastAttemptStarts.peekLast()) != null && newest.done) {
            lastAttemptStarts.pollLast();
        }
        return newest == null ? Long.MIN_VALUE / 2 : newest.lastStartNanos;
    }

    private long lowestPendingAnswer() {
        long lowest = Long.MAX_VALUE;
        for (State s : pendingWithAnswer) {
            lowest = Math.min(lowest, s.minOk);
        }
        return lowest;
    }

    /**
     * The choice: drawn uniformly from the fastest group's members with the least loss, among
     * those the rules let be drawn, grouped relative to the best of them. Before every answer is in, addresses still being measured are
     * {@link Bucket#MEASURING} in the ranking it carries.
     */
    Selection select(Duration elapsed, DrawRules rules, long nowNanos) {
        boolean early = !allDone();
        List<RankedEndpoint> ranked = rankAll(early);
        List<RankedEndpoint> drawable = new ArrayList<>(ranked.size());
        for (RankedEndpoint r : ranked) {
            if (rules == DrawRules.ANY || rules.drawable(r.address(), nowNanos)) {
                drawable.add(r);
            }
        }
        DrawGroup drawn = DrawGroup.of(drawable, policy);
        List<RankedEndpoint> group = drawn == null ? List.of() : drawn.members();
        RankedEndpoint chosen = group.isEmpty() ? null : group.get(random.nextInt(group.size()));
        return new Selection(chosen, group, elapsed, early, ranked);
    }

    /** Every address from its samples, once nothing more will come. */
    Ranking ranking(Selection selection) {
        return new Ranking(rankAll(false), selection, true);
    }

    private List<RankedEndpoint> rankAll(boolean partial) {
        long best = partial ? bestDone : -1;
        if (!partial) {
            for (State s : states) {
                if (s.median >= 0 && (best < 0 || s.median < best)) {
                    best = s.median;
                }
            }
        }
        List<RankedEndpoint> list = new ArrayList<>(states.length);
        for (State s : states) {
            Bucket bucket = partial && !s.done ? Bucket.MEASURING
                    : s.median < 0 ? Bucket.NONE : policy.classify(s.median, best);
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
        boolean lastStarted;
        long lastStartNanos;
        long median = -1;
        /** The lowest RTT of any OK sample so far (retransmitted ones too). */
        long minOk = Long.MAX_VALUE;
        /** Samples that failed or needed a retransmitted SYN. */
        int notClean;

        State(int index, String address) {
            this.index = index;
            this.address = address;
        }

        /** As {@link SampleSummary} computes it, once every sample is in. */
        double loss() {
            return (double) notClean / samples.size();
        }
    }
}

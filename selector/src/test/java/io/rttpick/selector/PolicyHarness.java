package io.rttpick.selector;

import io.rttpick.prober.Outcome;
import io.rttpick.prober.ProbeEvent;
import io.rttpick.selector.FleetEvent.Ask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * {@link FleetPolicy} driven as {@link FleetSelector} drives it, in plain longs of virtual time:
 * asks, probe runs (a {@link SelectionTracker} per run, fed scripted answers, deciding under the
 * policy's latest snapshot, deciding again when asked), the follow-up timer. Every step and
 * every answer is kept for the tests to check.
 */
final class PolicyHarness {
    static final long MS = 1_000_000;

    /** A server's answers: its RTT in ms plus a uniform jitter, or none (it times out). */
    static final class Script {
        final long rttMs;
        final long jitterMs;

        Script(long rttMs, long jitterMs) {
            this.rttMs = rttMs;
            this.jitterMs = jitterMs;
        }

        static Script dead() {
            return new Script(-1, 0);
        }
    }

    /** What happened at one moment: the event, the policy's step, and the state it acted on. */
    static final class Record {
        final long nanos;
        final FleetEvent event;
        final FleetStep step;
        final Ranking rankingBefore;
        final boolean rateLimitedBefore;
        /** The server in use before the event (hysteresis may keep it). */
        final String keptBefore;

        Record(long nanos, FleetEvent event, FleetStep step, Ranking rankingBefore, boolean rateLimitedBefore, String keptBefore) {
            this.nanos = nanos;
            this.event = event;
            this.step = step;
            this.rankingBefore = rankingBefore;
            this.rateLimitedBefore = rateLimitedBefore;
            this.keptBefore = keptBefore;
        }
    }

    /** An answer a caller got, at once or when the run it waited for settled. */
    static final class Answer {
        final Ask ask;
        final long askedNanos;
        final long answeredNanos;
        final FleetChoice choice;

        Answer(Ask ask, long askedNanos, long answeredNanos, FleetChoice choice) {
            this.ask = ask;
            this.askedNanos = askedNanos;
            this.answeredNanos = answeredNanos;
            this.choice = choice;
        }
    }

    private final Map<String, Script> scripts;
    private final SplittableRandom jitter;
    private final long timeoutMs;
    private final long minProbeIntervalNanos;
    final FleetPolicy policy;
    long now;
    private long seq;
    private final PriorityQueue<long[]> timeline = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0])
            : Long.compare(a[1], b[1]));
    private final Map<Long, Runnable> actions = new HashMap<>();
    private final Map<Long, SimRun> runs = new HashMap<>();
    private final Map<Long, List<Ask>> waiting = new HashMap<>();
    private final Map<Ask, FleetChoice.Reason> waitingFor = new HashMap<>();
    private final Map<Ask, FleetChoice.ProbeAction> waitingHow = new HashMap<>();
    private final Map<Ask, Long> askedAt = new HashMap<>();
    final List<Record> records = new ArrayList<>();
    final List<Answer> answers = new ArrayList<>();
    final List<FleetChoice> changes = new ArrayList<>();
    /** Called with each step's record as it happens, before anything else moves. */
    Consumer<Record> watcher = r -> { };

    PolicyHarness(Map<String, Script> scripts, long seed, long timeoutMs, Duration minProbeInterval, Duration coolOff,
            Duration maxRankingAge) {
        this.scripts = scripts;
        this.jitter = new SplittableRandom(seed ^ 0x5DEECE66DL);
        this.timeoutMs = timeoutMs;
        this.minProbeIntervalNanos = minProbeInterval.toNanos();
        FleetSettings settings = new FleetSettings(List.copyOf(scripts.keySet()), minProbeInterval, maxRankingAge, coolOff, coolOff,
                Duration.ofMillis(10), attempts -> true, 100);
        this.policy = new FleetPolicy(settings, 1, BucketPolicy.relative(), new SplittableRandom(seed)::nextInt);
    }

    /** Asks now; the answer lands in {@link #answers} now or when its run settles. */
    FleetStep ask(Ask ask) {
        askedAt.put(ask, now);
        FleetStep step = handle(ask);
        if (step.answer != null) {
            answers.add(new Answer(ask, now, now, step.answer));
        } else {
            waiting.computeIfAbsent(step.awaitRun, k -> new ArrayList<>()).add(ask);
            waitingFor.put(ask, step.awaitReason);
            waitingHow.put(ask, step.action);
        }
        return step;
    }

    /** Lets virtual time run to {@code nanos}, handling every probe event and timer due by then. */
    void runUntil(long nanos) {
        while (!timeline.isEmpty() && timeline.peek()[0] <= nanos) {
            long[] next = timeline.poll();
            now = Math.max(now, next[0]);
            actions.remove(next[1]).run();
        }
        now = Math.max(now, nanos);
    }

    /** Runs until nothing more is scheduled (probes ended, no follow-up due). */
    void runOut() {
        while (!timeline.isEmpty()) {
            runUntil(timeline.peek()[0]);
        }
    }

    private void at(long nanos, Runnable action) {
        long id = seq++;
        actions.put(id, action);
        timeline.add(new long[] {nanos, id});
    }

    private FleetStep handle(FleetEvent event) {
        Ranking before = policy.ranking();
        String keptBefore = policy.snapshot().keptServer();
        boolean limited = rateLimited();
        FleetStep step = policy.on(event, now);
        Record record = new Record(now, event, step, before, limited, keptBefore);
        records.add(record);
        watcher.accept(record);
        if (step.startRun != FleetStep.NO_RUN) {
            runs.put(step.startRun, new SimRun(step.startRun, step.startServers));
        }
        if (step.decideAgain) {
            // after this step, as the selector's serial queue has it: the asker waits first
            SimRun run = runs.get(step.awaitRun);
            at(now, run::decideAgain);
        }
        if (step.followUpInNanos >= 0) {
            at(now + step.followUpInNanos, () -> handle(FleetEvent.FollowUpDue.INSTANCE));
        }
        if (step.settledRun != FleetStep.NO_RUN) {
            for (Ask w : waiting.getOrDefault(step.settledRun, List.of())) {
                FleetChoice settled = step.settledFor(waitingFor.remove(w));
                if (settled != null) {
                    answers.add(new Answer(w, askedAt.get(w), now, settled.askedBy(w.cause, w.trigger, waitingHow.remove(w))));
                }
            }
            waiting.remove(step.settledRun);
        }
        changes.addAll(step.changes);
        return step;
    }

    private long lastStart = Long.MIN_VALUE / 4;

    private boolean rateLimited() {
        return now - lastStart < minProbeIntervalNanos;
    }

    /** Callers still waiting for a run. */
    int waiting() {
        return waiting.values().stream().mapToInt(List::size).sum();
    }

    /** One probe run: every server's answer scheduled, decided under the policy's latest snapshot. */
    private final class SimRun {
        final long id;
        final SelectionTracker tracker;
        final long startNanos;
        int pending;
        boolean deciding = true;
        Selection last;
        long timerDue = -1;

        SimRun(long id, List<String> servers) {
            this.id = id;
            this.startNanos = now;
            lastStart = now;
            this.tracker = new SelectionTracker(servers, 1, BucketPolicy.relative(), new SplittableRandom(id)::nextInt);
            pending = servers.size();
            for (int i = 0; i < servers.size(); i++) {
                tracker.onEvent(new ProbeEvent.Started(i, 0, servers.get(i), Events.target(i), java.time.Instant.EPOCH), now);
                Script s = scripts.get(servers.get(i));
                int index = i;
                if (s == null || s.rttMs < 0) {
                    at(now + timeoutMs * MS, () -> answer(Events.failed(index, 0, Outcome.TIMEOUT)));
                } else {
                    long rtt = Math.max(1, s.rttMs + (s.jitterMs == 0 ? 0 : jitter.nextLong(-s.jitterMs, s.jitterMs + 1)));
                    at(now + rtt * MS, () -> answer(Events.ok(index, 0, rtt * 1_000)));
                }
            }
            consider();
        }

        void decideAgain() {
            if (pending > 0) {
                deciding = true;
                consider();
            }
        }

        private void answer(ProbeEvent e) {
            tracker.onEvent(e, now);
            pending--;
            if (pending == 0) {
                if (deciding && last == null) {
                    last = tracker.select(Duration.ofNanos(now - startNanos), policy.snapshot(), now);
                    handle(new FleetEvent.Decided(id, last));
                }
                handle(new FleetEvent.Ended(id, tracker.ranking(last), null));
                runs.remove(id);
                return;
            }
            consider();
        }

        private void consider() {
            if (!deciding) {
                return;
            }
            long due = tracker.decision(now, policy.snapshot());
            if (due == SelectionTracker.DECIDE_NOW) {
                deciding = false;
                last = tracker.select(Duration.ofNanos(now - startNanos), policy.snapshot(), now);
                handle(new FleetEvent.Decided(id, last));
            } else if (due != SelectionTracker.WAIT_FOR_EVENTS && due != timerDue) {
                timerDue = due;
                at(due, () -> {
                    if (timerDue == due) {
                        timerDue = -1;
                        consider();
                    }
                });
            }
        }
    }
}

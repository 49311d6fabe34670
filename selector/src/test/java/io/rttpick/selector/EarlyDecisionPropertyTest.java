package io.rttpick.selector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.rttpick.prober.Handshake;
import io.rttpick.prober.Outcome;
import io.rttpick.prober.ProbeEvent;
import io.rttpick.prober.RttSample;
import io.rttpick.prober.Timing;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The invariant of the early decision, as a property over random scripts in virtual time: the
 * set a choice made early is drawn from (or the server it keeps) is the set waiting for every
 * answer would give, under the chooser's own rules. The decision logic is driven directly,
 * event by event and timer by timer, with a clock of our own; a failing script is printed whole.
 */
class EarlyDecisionPropertyTest {
    private static final int SCRIPTS = 12_000;
    private static final long MS = 1_000_000;

    /** One attempt: when it starts, and what comes back when (rttMs -1: it times out). */
    record Attempt(long startMs, long rttMs, boolean retransmitted, Outcome failure) {
        long endMs(long timeoutMs) {
            return startMs + (rttMs >= 0 ? rttMs : failure == Outcome.TIMEOUT ? timeoutMs : 3);
        }
    }

    record Server(String address, boolean invalid, List<Attempt> attempts) {
    }

    record Script(long seed, int samples, long timeoutMs, List<Server> servers, List<String> cooling, String current,
            long marginMs) {
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder("script seed " + seed + ": " + samples + " samples, timeout " + timeoutMs
                    + " ms, cooling " + cooling + ", current " + current + ", margin " + marginMs + " ms\n");
            for (Server s : servers) {
                b.append("  ").append(s.address()).append(s.invalid() ? " INVALID" : "").append(": ");
                for (Attempt a : s.attempts()) {
                    b.append("[start ").append(a.startMs()).append(a.rttMs() >= 0 ? " rtt " + a.rttMs() : " " + a.failure())
                            .append(a.retransmitted() ? " retransmitted" : "").append("] ");
                }
                b.append('\n');
            }
            return b.toString();
        }
    }

    /** What a run gave: when it decided, what it would draw from then, and after every answer. */
    record Outcomes(long decidedNanos, long lastEventNanos, List<String> early, List<String> full) {
    }

    static Script script(long seed, boolean withRules, int maxSamples) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 1 + r.nextInt(30);
        int samples = 1 + r.nextInt(maxSamples);
        long timeoutMs = 200 + r.nextInt(801);
        long spacingMs = r.nextBoolean() ? 0 : r.nextInt(300);
        double loss = r.nextInt(3) == 0 ? 0 : r.nextDouble() * 0.4;
        double retransmit = r.nextInt(3) == 0 ? 0 : r.nextDouble() * 0.3;
        // the server in use, now and then just behind a 30 ms one: kept only within the margin
        int currentIndex = withRules && r.nextBoolean() ? r.nextInt(n) : -1;
        boolean currentBehind = r.nextBoolean();
        List<Server> servers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String address = "s" + i + ":993";
            int kind = r.nextInt(20);
            if (kind == 0) {
                servers.add(new Server(address, true, List.of()));
                continue;
            }
            boolean dead = kind <= 3;
            boolean refusing = kind == 4;
            // equal RTTs now and then, so that draws among equals and ties at bounds happen
            long base = i == currentIndex && currentBehind ? 45 + r.nextInt(50) : r.nextInt(4) == 0 ? 30 : 1 + r.nextInt(400);
            long jitter = r.nextBoolean() ? 0 : r.nextInt(60);
            long start = r.nextInt(5) == 0 ? r.nextInt(150) : 0; // waiting for room
            List<Attempt> attempts = new ArrayList<>();
            for (int a = 0; a < samples; a++) {
                Attempt at;
                long rtt = Math.max(0, base + (jitter == 0 ? 0 : r.nextLong(-jitter, jitter + 1)));
                if (dead || r.nextDouble() < loss) {
                    at = new Attempt(start, -1, false, Outcome.TIMEOUT);
                } else if (refusing) {
                    at = new Attempt(start, -1, false, Outcome.REFUSED);
                } else if (r.nextDouble() < retransmit) {
                    long late = rtt + 1_000;
                    at = late < timeoutMs ? new Attempt(start, late, true, null) : new Attempt(start, -1, false, Outcome.TIMEOUT);
                } else if (rtt >= timeoutMs) {
                    at = new Attempt(start, -1, false, Outcome.TIMEOUT);
                } else {
                    at = new Attempt(start, rtt, false, null);
                }
                attempts.add(at);
                start = at.endMs(timeoutMs) + spacingMs;
            }
            servers.add(new Server(address, false, attempts));
        }
        List<String> cooling = new ArrayList<>();
        String current = null;
        long marginMs = 10;
        if (withRules) {
            for (Server s : servers) {
                if (r.nextInt(5) == 0) {
                    cooling.add(s.address());
                }
            }
            current = currentIndex < 0 ? null : servers.get(currentIndex).address();
            marginMs = r.nextInt(60);
        }
        return new Script(seed, samples, timeoutMs, servers, cooling, current, marginMs);
    }

    private record Timed(long nanos, int order, ProbeEvent event) {
    }

    static List<Timed> events(Script s) {
        List<Timed> events = new ArrayList<>();
        int order = 0;
        for (int i = 0; i < s.servers().size(); i++) {
            Server server = s.servers().get(i);
            if (server.invalid()) {
                events.add(new Timed(0, order++, new ProbeEvent.Completed(RttSample.builder(i, server.address())
                        .failed(Outcome.INVALID, "address " + server.address() + ": invalid").startedAt(Instant.EPOCH)
                        .prober("script").build())));
                continue;
            }
            for (int a = 0; a < server.attempts().size(); a++) {
                Attempt at = server.attempts().get(a);
                events.add(new Timed(at.startMs() * MS, order++, new ProbeEvent.Started(i, a, server.address(),
                        Events.target(i), Instant.EPOCH)));
                RttSample.Builder b = RttSample.builder(i, server.address()).attempt(a).resolved(Events.target(i))
                        .startedAt(Instant.EPOCH).prober("script");
                if (at.rttMs() >= 0) {
                    b.ok(at.rttMs() * 1_000, Timing.KERNEL, Handshake.HALF_OPEN);
                    if (at.retransmitted()) {
                        b.detail(RttSample.Details.SYN_RETRANSMITTED, true);
                    }
                } else {
                    b.failed(at.failure(), at.failure() == Outcome.TIMEOUT ? "tcp check timeout: I/O timeout" : "refused");
                }
                events.add(new Timed(at.endMs(s.timeoutMs()) * MS, order++, new ProbeEvent.Completed(b.build())));
            }
        }
        events.sort(Comparator.comparingLong(Timed::nanos).thenComparingInt(Timed::order));
        return events;
    }

    /** The fleet selector's rules for a script: its servers, the cooling ones for an hour, its current server. */
    static DrawRules rules(Script s) {
        Fleet fleet = Fleet.EMPTY;
        java.util.Map<String, Long> cooling = new java.util.HashMap<>();
        for (Server x : s.servers()) {
            fleet = fleet.with(Fleet.keyOf(x.address()), x.address());
        }
        s.cooling().forEach(a -> cooling.put(Fleet.keyOf(a), Duration.ofHours(1).toNanos()));
        return new DrawSnapshot(fleet, cooling, s.current(), s.marginMs() * 1_000);
    }

    /** Runs the decision logic through the script: events in time order, a timer where it asks for one. */
    static Outcomes run(Script s, DrawRules rules) {
        List<String> addresses = s.servers().stream().map(Server::address).collect(Collectors.toList());
        SelectionTracker tracker = new SelectionTracker(addresses, s.samples(), BucketPolicy.relative(), new SplittableRandom(1)::nextInt);
        List<Timed> events = events(s);
        long now = 0;
        int next = 0;
        Selection early = null;
        while (early == null) {
            long due = tracker.decision(now, rules);
            if (due == SelectionTracker.DECIDE_NOW) {
                early = tracker.select(Duration.ofNanos(now), rules, now);
                break;
            }
            long nextEvent = next < events.size() ? events.get(next).nanos() : Long.MAX_VALUE;
            if (due != SelectionTracker.WAIT_FOR_EVENTS && due <= nextEvent) {
                assertTrue(due > now, "a timer in the past: " + due + " at " + now + "\n" + s);
                now = due;
                continue;
            }
            if (next == events.size()) {
                fail("every event is in but no decision\n" + s);
            }
            now = nextEvent;
            tracker.onEvent(events.get(next++).event(), now);
        }
        long decided = now;
        while (next < events.size()) {
            tracker.onEvent(events.get(next).event(), events.get(next).nanos());
            next++;
        }
        long last = events.isEmpty() ? 0 : events.get(events.size() - 1).nanos();
        Ranking full = tracker.ranking(early);
        return new Outcomes(decided, last, drawSet(early.rankingAtDecision(), rules, decided),
                drawSet(full, rules, decided));
    }

    /**
     * What the chooser under {@code rules} would choose from {@code ranking}, the draw aside,
     * written out afresh: the servers that can be chosen (drawable, answered) grouped among
     * themselves, the best group's members with its least loss; or the kept server alone.
     */
    static List<String> drawSet(Ranking ranking, DrawRules rules, long nowNanos) {
        List<RankedEndpoint> choosable = ranking.entries().stream()
                .filter(r -> r.bucket().compareTo(Bucket.NONE) < 0 && rules.drawable(r.address(), nowNanos)).toList();
        if (choosable.isEmpty()) {
            return List.of();
        }
        BucketPolicy policy = BucketPolicy.relative();
        long best = choosable.stream().mapToLong(r -> r.rttMicros().getAsLong()).min().getAsLong();
        Bucket top = choosable.stream().map(r -> policy.classify(r.rttMicros().getAsLong(), best)).min(Comparator.naturalOrder())
                .orElseThrow();
        double least = choosable.stream().filter(r -> policy.classify(r.rttMicros().getAsLong(), best) == top)
                .mapToDouble(RankedEndpoint::loss).min().getAsDouble();
        List<RankedEndpoint> group = choosable.stream()
                .filter(r -> policy.classify(r.rttMicros().getAsLong(), best) == top && r.loss() == least).toList();
        long groupBest = group.stream().mapToLong(r -> r.rttMicros().getAsLong()).min().getAsLong();
        for (RankedEndpoint r : choosable) {
            if (r.address().equals(rules.keptServer()) && r.loss() <= least
                    && (policy.classify(r.rttMicros().getAsLong(), best) == top
                        || r.rttMicros().getAsLong() <= groupBest + rules.keepMarginMicros())) {
                return List.of(r.address());
            }
        }
        return group.stream().map(RankedEndpoint::address).sorted().collect(Collectors.toList());
    }

    @Test
    void anEarlyChoiceIsAlwaysOneThatWaitingForEveryAnswerCouldHaveGiven() {
        int early = 0;
        int withDead = 0;
        int withDeadEarly = 0;
        int multiSampleEarly = 0;
        for (long seed = 1; seed <= SCRIPTS; seed++) {
            boolean fleetRules = seed % 2 == 0; // half through the fleet selector's rules, half through pick's
            Script s = script(seed, fleetRules, 5);
            DrawRules rules = fleetRules ? rules(s) : DrawRules.ANY;
            Outcomes o = run(s, rules);
            if (!o.early().equals(o.full())) {
                fail("decided at " + o.decidedNanos() / 1_000 + " us on " + o.early() + ", every answer gives "
                        + o.full() + "\n" + s);
            }
            boolean beforeTheEnd = o.decidedNanos() < o.lastEventNanos();
            early += beforeTheEnd ? 1 : 0;
            multiSampleEarly += beforeTheEnd && s.samples() > 1 ? 1 : 0;
            boolean dead = s.servers().stream().anyMatch(x -> !x.invalid()
                    && x.attempts().stream().allMatch(a -> a.failure() == Outcome.TIMEOUT));
            if (dead) {
                withDead++;
                withDeadEarly += beforeTheEnd ? 1 : 0;
            }
        }
        System.out.printf("early decision: %d scripts, %d decided before their last answer (%d of them with 2+ samples);"
                + " %d of the %d with a dead server%n", SCRIPTS, early, multiSampleEarly, withDeadEarly, withDead);
        assertTrue(withDeadEarly > withDead / 2, withDeadEarly + " of " + withDead + " scripts with a dead server decided early");
        assertTrue(multiSampleEarly > SCRIPTS / 10, "only " + multiSampleEarly + " multi-sample scripts decided early");
    }

    /**
     * With one sample per address and every server drawable, the decision comes exactly when
     * the rule before the invariant made it: once every address has answered or been out longer
     * than the FAST bound of the best answer.
     */
    @Test
    void withOneSampleTheDecisionTimesAreTheSameAsBefore() {
        for (long seed = 1; seed <= 3_000; seed++) {
            Script s = script(seed, false, 1);
            Outcomes o = run(s, DrawRules.ANY);
            assertEquals(oneSampleRule(s), o.decidedNanos(), () -> "decision time\n" + s);
        }
    }

    /** The one-sample rule as it was written before: the reference for the test above. */
    static long oneSampleRule(Script s) {
        TreeSet<Long> times = new TreeSet<>();
        events(s).forEach(t -> times.add(t.nanos()));
        long lastEvent = times.isEmpty() ? 0 : times.last();
        for (long t = 0; t <= lastEvent; ) {
            long best = Long.MAX_VALUE;
            long newestStart = Long.MIN_VALUE;
            boolean allStarted = true;
            boolean allDone = true;
            for (Server server : s.servers()) {
                if (server.invalid()) {
                    continue;
                }
                Attempt a = server.attempts().get(0);
                long end = a.endMs(s.timeoutMs()) * MS;
                if (end <= t) {
                    if (a.rttMs() >= 0) {
                        best = Math.min(best, a.rttMs() * 1_000);
                    }
                } else {
                    allDone = false;
                    if (a.startMs() * MS > t) {
                        allStarted = false;
                    } else {
                        newestStart = Math.max(newestStart, a.startMs() * MS);
                    }
                }
            }
            if (allDone) {
                return t;
            }
            if (best != Long.MAX_VALUE && allStarted) {
                long fastMax = BucketPolicy.relative().fastMaxMicros(OptionalLong.of(best)).getAsLong();
                long due = newestStart + fastMax * 1_000 + 1;
                Long nextEvent = times.higher(t);
                if (due <= t) {
                    return t;
                }
                if (nextEvent == null || due <= nextEvent) {
                    return due;
                }
            }
            Long nextEvent = times.higher(t);
            t = nextEvent == null ? lastEvent + 1 : nextEvent;
        }
        return lastEvent;
    }
}

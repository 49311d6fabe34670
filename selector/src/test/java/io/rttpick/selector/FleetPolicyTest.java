package io.rttpick.selector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.rttpick.selector.FleetChoice.Cause;
import io.rttpick.selector.FleetChoice.ProbeAction;
import io.rttpick.selector.FleetChoice.Reason;
import io.rttpick.selector.FleetEvent.Ask;
import io.rttpick.selector.FleetSelector.Trigger;
import io.rttpick.selector.PolicyHarness.Answer;
import io.rttpick.selector.PolicyHarness.Record;
import io.rttpick.selector.PolicyHarness.Script;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fleet policy's rules as properties over random fleets, jitter, failures, pins and trigger
 * sequences, in plain longs of virtual time ({@link PolicyHarness}); a failing case names its seed.
 */
class FleetPolicyTest {
    private static final long MS = PolicyHarness.MS;
    private static final Duration RATE_LIMIT = Duration.ofSeconds(30);
    /** One cool-off for every failure, so that the test knows who is cooling off without the policy's table. */
    private static final Duration COOL_OFF = Duration.ofHours(1);

    private static Map<String, Script> seedFleet(long jitterMs) {
        Map<String, Script> fleet = new LinkedHashMap<>();
        fleet.put("ams:993", new Script(29, jitterMs));
        fleet.put("iowa:993", new Script(127, jitterMs));
        fleet.put("hkg:993", new Script(279, jitterMs));
        fleet.put("dead:993", Script.dead());
        return fleet;
    }

    private static PolicyHarness harness(Map<String, Script> fleet, long seed) {
        return new PolicyHarness(fleet, seed, 1_000, RATE_LIMIT, COOL_OFF, Duration.ofMinutes(10));
    }

    /** Asks, and runs virtual time a millisecond at a time until the answer is in. */
    private static FleetChoice answerOf(PolicyHarness h, Ask ask) {
        int before = h.answers.size();
        h.ask(ask);
        for (int i = 0; i < 5_000 && h.answers.size() == before; i++) {
            h.runUntil(h.now + MS);
        }
        assertTrue(h.answers.size() > before, "no answer within 5 s");
        return h.answers.get(h.answers.size() - 1).choice;
    }

    @Test
    void theSeedFleetWithAmsterdamFailedChoosesIowaEveryTimeWhateverTheJitter() {
        int iowa = 0;
        int runs = 2_000;
        for (long seed = 0; seed < runs; seed++) {
            PolicyHarness h = harness(seedFleet(10), seed);
            assertEquals("ams:993", answerOf(h, Ask.trigger(Trigger.START)).server().orElseThrow(), "seed " + seed);
            if (seed % 2 == 1) {
                h.runOut(); // the complete ranking first; half the runs fail over right at the early decision
            }
            FleetChoice next = answerOf(h, Ask.server(Cause.REPORT_FAILURE, "ams:993"));
            assertEquals("iowa:993", next.server().orElse(null), "seed " + seed + ": " + next);
            assertEquals(Bucket.FAST, next.group().orElseThrow(), "grouped among the servers left");
            assertEquals(1, next.groupSize().getAsInt());
            assertEquals(Reason.FAILOVER, next.reason());
            iowa++;
        }
        System.out.printf("seed fleet, +-10 ms jitter, Amsterdam failed: Iowa chosen %d of %d%n", iowa, runs);
    }

    @Test
    void everyChoiceIsDrawnFromTheFastestGroupOfTheServersThatCanBeChosenAndSaysTrulyWhy() {
        int checkedChoices = 0;
        int failovers = 0;
        int heldBack = 0;
        for (long seed = 1; seed <= 1_500; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            Map<String, Script> fleet = new LinkedHashMap<>();
            int n = 2 + r.nextInt(7);
            for (int i = 0; i < n; i++) {
                fleet.put("s" + i + ":993", r.nextInt(7) == 0 ? Script.dead() : new Script(5 + r.nextInt(300), r.nextInt(16)));
            }
            PolicyHarness h = harness(fleet, seed);
            Map<String, Long> failedAt = new HashMap<>();
            String[] pinned = new String[1];
            long s = seed;
            List<String> problems = new ArrayList<>();
            h.watcher = record -> check(h, record, failedAt, pinned[0], problems, s);
            for (int step = 0; step < 40; step++) {
                int what = r.nextInt(12);
                String any = "s" + r.nextInt(n) + ":993";
                Ask ask;
                if (what < 4) {
                    ask = Ask.trigger(Trigger.values()[r.nextInt(Trigger.values().length)]);
                } else if (what < 6) {
                    ask = Ask.of(Cause.CURRENT);
                } else if (what < 9) {
                    String victim = h.policy.snapshot().keptServer() != null && r.nextBoolean() ? h.policy.snapshot().keptServer() : any;
                    failedAt.put(Fleet.keyOf(victim), h.now);
                    ask = Ask.server(Cause.REPORT_FAILURE, victim);
                } else if (what == 9) {
                    pinned[0] = any;
                    ask = Ask.server(Cause.PIN, any);
                } else if (what == 10) {
                    pinned[0] = null;
                    ask = Ask.of(Cause.UNPIN);
                } else {
                    h.runUntil(h.now + (1 + r.nextInt(120_000)) * MS);
                    continue;
                }
                FleetStep st = h.ask(ask);
                failovers += ask.cause == Cause.REPORT_FAILURE ? 1 : 0;
                heldBack += st.action == ProbeAction.HELD_BY_RATE_LIMIT ? 1 : 0;
                h.runUntil(h.now + r.nextInt(400) * MS);
            }
            h.runOut();
            if (!problems.isEmpty()) {
                fail("seed " + seed + ":\n  " + String.join("\n  ", problems));
            }
            for (Answer a : h.answers) {
                checkAnswer(a, problems);
                checkedChoices++;
            }
            if (!problems.isEmpty()) {
                fail("seed " + seed + ":\n  " + String.join("\n  ", problems));
            }
            if (h.waiting() != 0) {
                StringBuilder log = new StringBuilder();
                for (Record rec : h.records) {
                    log.append("\n  ").append(rec.nanos / MS).append(" ms ").append(describe(rec.event))
                            .append(rec.event instanceof FleetEvent.Decided ? " run " + ((FleetEvent.Decided) rec.event).run : "")
                            .append(rec.event instanceof FleetEvent.Ended ? " run " + ((FleetEvent.Ended) rec.event).run : "")
                            .append(": start ").append(rec.step.startRun).append(" await ").append(rec.step.awaitRun)
                            .append(rec.step.decideAgain ? " again" : "").append(" settled ").append(rec.step.settledRun)
                            .append(" answer ").append(rec.step.answer);
                }
                fail("seed " + seed + ": " + h.waiting() + " callers left waiting" + log);
            }
        }
        System.out.printf("fleet policy: %d answers checked, %d failures reported, %d probes held back by the rate limit%n",
                checkedChoices, failovers, heldBack);
        assertTrue(heldBack > 100 && failovers > 1_000, "the sequences exercise the rules");
    }

    /** (a) drawn from the best group afresh, or kept; (c) no probe inside the rate limit without reason. */
    private static void check(PolicyHarness h, Record record, Map<String, Long> failedAt, String pinned, List<String> problems,
            long seed) {
        if (record.step.startRun != FleetStep.NO_RUN && record.rateLimitedBefore && record.rankingBefore != null) {
            problems.add("a probe inside the rate limit with a ranking at hand, on " + describe(record.event));
        }
        List<FleetChoice> choices = new ArrayList<>(record.step.changes);
        if (record.step.answer != null) {
            choices.add(record.step.answer);
        }
        if (record.step.settled != null) {
            choices.add(record.step.settled);
        }
        for (FleetChoice c : choices) {
            if (c.reason() == Reason.PINNED) {
                if (pinned == null || !Fleet.keyOf(pinned).equals(Fleet.keyOf(c.server().orElseThrow()))) {
                    problems.add("PINNED " + c + " while pinned is " + pinned);
                }
                continue;
            }
            if (!c.server().isPresent()) {
                continue;
            }
            List<String> allowed = drawable(h, failedAt, record.nanos, record.keptBefore);
            if (!allowed.contains(c.server().get())) {
                problems.add("at " + record.nanos / MS + " ms, " + c + " is not in the best group " + allowed);
            }
        }
    }

    /** What may be chosen, computed afresh: the best group of the choosable servers, or the kept one alone. */
    private static List<String> drawable(PolicyHarness h, Map<String, Long> failedAt, long now, String kept) {
        Ranking ranking = h.policy.ranking();
        BucketPolicy policy = BucketPolicy.relative();
        List<RankedEndpoint> choosable = new ArrayList<>();
        for (RankedEndpoint e : ranking.entries()) {
            Long failed = failedAt.get(Fleet.keyOf(e.address()));
            if (e.rttMicros().isPresent() && e.bucket().compareTo(Bucket.NONE) < 0
                    && (failed == null || now - failed >= COOL_OFF.toNanos())) {
                choosable.add(e);
            }
        }
        if (choosable.isEmpty()) {
            return List.of();
        }
        long best = choosable.stream().mapToLong(e -> e.rttMicros().getAsLong()).min().getAsLong();
        Bucket top = choosable.stream().map(e -> policy.classify(e.rttMicros().getAsLong(), best)).min(Comparator.naturalOrder())
                .orElseThrow();
        double least = choosable.stream().filter(e -> policy.classify(e.rttMicros().getAsLong(), best) == top)
                .mapToDouble(RankedEndpoint::loss).min().getAsDouble();
        List<String> group = new ArrayList<>();
        long groupBest = Long.MAX_VALUE;
        for (RankedEndpoint e : choosable) {
            if (policy.classify(e.rttMicros().getAsLong(), best) == top && e.loss() == least) {
                group.add(e.address());
                groupBest = Math.min(groupBest, e.rttMicros().getAsLong());
            }
        }
        for (RankedEndpoint e : choosable) {
            if (e.address().equals(kept) && e.loss() <= least && e.rttMicros().getAsLong() <= groupBest + 10_000) {
                List<String> withKept = new ArrayList<>(group);
                withKept.add(kept);
                return withKept;
            }
        }
        return group;
    }

    /** (d) the reason, cause and probe action agree with what was asked and what happened. */
    private static void checkAnswer(Answer a, List<String> problems) {
        FleetChoice c = a.choice;
        String what = describe(a.ask) + " -> " + c;
        if (c.cause() != a.ask.cause || (a.ask.cause == Cause.TRIGGER && c.trigger().orElse(null) != a.ask.trigger)) {
            problems.add("cause: " + what);
        }
        switch (c.reason()) {
            case REUSED:
                if (c.probe() != ProbeAction.HELD_BY_RATE_LIMIT && c.probe() != ProbeAction.HELD_BY_BUDGET) {
                    problems.add("REUSED though no limit held a probe back: " + what);
                }
                break;
            case FRESH_ENOUGH:
                if (a.ask.cause == Cause.TRIGGER || a.ask.cause == Cause.UNPIN
                        || (c.probe() != ProbeAction.NONE && c.probe() != ProbeAction.JOINED)) {
                    problems.add("FRESH_ENOUGH where a probe was asked for: " + what);
                }
                break;
            case FAILOVER:
                if (a.ask.cause != Cause.REPORT_FAILURE) {
                    problems.add("FAILOVER without a failure: " + what);
                }
                break;
            case PROBED:
                if (c.probe() != ProbeAction.SENT && c.probe() != ProbeAction.JOINED) {
                    problems.add("PROBED without a probe: " + what);
                }
                break;
            default:
                break;
        }
        if (c.reason() == Reason.NOTHING_AVAILABLE && c.server().isPresent()) {
            problems.add("NOTHING_AVAILABLE with a server: " + what);
        }
    }

    private static String describe(FleetEvent e) {
        if (e instanceof Ask) {
            Ask a = (Ask) e;
            return a.cause + (a.trigger == null ? "" : " " + a.trigger) + (a.address == null ? "" : " " + a.address);
        }
        return e.getClass().getSimpleName();
    }

    @Test
    void aTriggerInsideTheRateLimitReusesAndSaysWhichLimitHeldTheProbeBack() {
        PolicyHarness h = harness(seedFleet(0), 1);
        answerOf(h, Ask.trigger(Trigger.START));
        h.runUntil(h.now + 10_000 * MS);
        FleetChoice again = answerOf(h, Ask.trigger(Trigger.REFRESH));
        assertEquals(Reason.REUSED, again.reason());
        assertEquals(ProbeAction.HELD_BY_RATE_LIMIT, again.probe());
        assertTrue(again.note().contains("rate limit"), again.note());
        FleetChoice current = answerOf(h, Ask.of(Cause.CURRENT));
        assertEquals(Reason.FRESH_ENOUGH, current.reason(), "current() asked for no probe: nothing held one back");
        assertFalse(current.note().contains("rate limit"), current.note());
        assertEquals(ProbeAction.NONE, current.probe());
    }

    @Test
    void aStaleRankingIsReusedWithAFollowUpProbeThatSaysItIsOne() {
        PolicyHarness h = harness(seedFleet(0), 1);
        answerOf(h, Ask.trigger(Trigger.START));
        h.runUntil(h.now + Duration.ofMinutes(11).toNanos());
        FleetChoice stale = answerOf(h, Ask.of(Cause.CURRENT));
        assertEquals(Reason.REUSED_STALE, stale.reason());
        h.runOut();
        Record followUp = h.records.stream().filter(r -> r.event instanceof FleetEvent.FollowUpDue).findFirst().orElseThrow();
        assertNotNull(followUp.step.startServers, "the follow-up probed");
        assertEquals(2, h.policy.runsStarted());
        assertTrue(h.records.stream().flatMap(r -> r.step.changes.stream()).noneMatch(c -> c.cause() == Cause.REPORT_FAILURE),
                "nothing failed");
    }

    @Test
    void aPinnedServerStaysTheAnswerWhenItFailsAndUnpinReusesInsideTheRateLimit() {
        PolicyHarness h = harness(seedFleet(0), 1);
        answerOf(h, Ask.trigger(Trigger.START));
        assertTrue(answerOf(h, Ask.server(Cause.PIN, "hkg:993")).pinned());
        FleetChoice failed = answerOf(h, Ask.server(Cause.REPORT_FAILURE, "hkg:993"));
        assertEquals(Reason.PINNED, failed.reason(), "pinned means pinned: the user decides");
        FleetChoice unpinned = answerOf(h, Ask.of(Cause.UNPIN));
        assertEquals(Reason.REUSED, unpinned.reason());
        assertEquals(ProbeAction.HELD_BY_RATE_LIMIT, unpinned.probe());
        assertEquals("ams:993", unpinned.server().orElseThrow());
        assertNull(h.policy.pinned());
    }
}

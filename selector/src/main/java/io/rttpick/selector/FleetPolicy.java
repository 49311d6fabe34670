package io.rttpick.selector;

import io.rttpick.selector.FleetChoice.Cause;
import io.rttpick.selector.FleetChoice.ProbeAction;
import io.rttpick.selector.FleetChoice.Reason;
import io.rttpick.selector.FleetChoice.Source;
import io.rttpick.selector.FleetEvent.Ask;
import io.rttpick.selector.FleetEvent.Decided;
import io.rttpick.selector.FleetEvent.Ended;
import io.rttpick.selector.FleetEvent.MemoryLoaded;
import io.rttpick.selector.FleetEvent.Observation;
import io.rttpick.selector.FleetSelector.Trigger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;

/**
 * Every rule of {@link FleetSelector} and all of its state, with no Reactor, no lock and no clock
 * of its own: one event at a time, with the time, in {@link #on}, which says what to do next.
 * The selector feeds it from one serial queue; the probe run reads {@link #snapshot()}.
 *
 * <ul>
 *   <li>A pinned server is the answer to everything but {@code unpin}; a failure of it is noted
 *       (it cools off) but it stays the answer: the user decides.</li>
 *   <li>A trigger probes, unless the rate limit holds it back (the last ranking is reused, REUSED;
 *       REUSED_STALE with a probe following when it is older than {@code maxRankingAge}) or the
 *       probe budget does (REUSED). A probe that has not decided yet is joined, never doubled.</li>
 *   <li>{@code current()}, an added or removed server: the last ranking when there is one
 *       (FRESH_ENOUGH, or REUSED_STALE with a probe following), else a probe.</li>
 *   <li>A failure: the server cools off and the next choice comes from what is known, grouped
 *       among the servers that can still be chosen; when nothing usable is known but a probe
 *       is still completing the ranking, that probe decides again at its next moment of
 *       certainty. A probe follows once the rate limit allows.</li>
 *   <li>Hysteresis: the current server is kept while it is as good as the best of the best
 *       group (not 10 ms and a third slower: {@link DrawGroup#nearBest()}), or within the margin
 *       of the best, with no more loss; otherwise a uniform draw in the best group.</li>
 *   <li>Networks (when remembering): a network change is not held back by the rate limit (the
 *       old network's ranking is not this one's). On a known network the answer comes from the
 *       remembered ranking at once (REMEMBERED, source MEMORY) and a confirmation probes only the
 *       remembered top k; a full probe follows when the confirmation contradicts the memory (its
 *       best did not answer, or another is at least 10 ms and a third faster than the current
 *       server), when the memory is older than {@code refreshAfter}, or when the user opens the
 *       server list. The probe budget holds every round but the user's.</li>
 *   <li>The app's own measurements ({@code observe}): while those of the server in use are fresh
 *       and show it as good as the best alternative known, a refresh sends nothing (OBSERVED,
 *       source PASSIVE); when they show it degraded (an alternative at least 10 ms and a third
 *       faster), the best k are confirmed, as the rate limit and the budget allow.</li>
 * </ul>
 */
final class FleetPolicy {
    private final long minProbeIntervalNanos;
    private final long maxRankingAgeNanos;
    private final long marginMicros;
    private final int samplesPerServer;
    private final int maxServers;
    private final IntPredicate probePermit;
    private final BucketPolicy buckets;
    private final RandomDraw random;
    private final CoolOffs coolOffs;
    private final RankingMemory memory;
    private final boolean remember;
    private final BudgetLedger budget;
    private final LongSupplier wallMillis;
    private final long refreshAfterMillis;
    private final PassiveSamples passive;
    private static final String KEPT = "kept the current server";
    private static final String DREW = "drew from the fastest group";

    private Fleet fleet = Fleet.EMPTY;
    private String pinned;
    private String current;
    private Ranking ranking;
    private long rankingNanos;
    private long rankingRun = FleetStep.NO_RUN;
    /** The ranking was made from memory (and confirmations), not by one probe: choices from it say MEMORY. */
    private boolean rankingFromMemory;
    private long lastProbeNanos;
    private boolean probedOnce;
    /** The probe that has not decided yet: asks that would probe join it. */
    private long deciding = FleetStep.NO_RUN;
    private long runsStarted;
    private final Map<Long, RunState> runs = new HashMap<>();
    private boolean followUpScheduled;
    private DrawSnapshot snapshot;
    /** The network named last (null: none), and whether what is remembered changed since last asked. */
    private String network;
    private boolean memoryChanged;

    /** What the event being handled came from: changes and answers say so. */
    private Cause cause;
    private Trigger trigger;

    /** A probe run the policy started and that has not ended. */
    private static final class RunState {
        final long startedNanos;
        final Cause cause;
        final Trigger trigger;
        /** The network it ran on (null: none named), whether it probed every server, whether anyone waits for it. */
        String network;
        boolean full = true;
        boolean background;
        /** For a confirmation: what its answers are checked against. */
        Confirmation confirmation;
        boolean decided;
        /** Asked to decide again (nothing usable was known): the reasons its waiters' choices give, one per kind of ask. */
        final Set<Reason> againReasons = EnumSet.noneOf(Reason.class);
        Cause againCause;
        Trigger againTrigger;

        RunState(long startedNanos, Cause cause, Trigger trigger) {
            this.startedNanos = startedNanos;
            this.cause = cause;
            this.trigger = trigger;
        }
    }

    FleetPolicy(FleetSettings settings, int samplesPerServer, BucketPolicy buckets, RandomDraw random) {
        this.minProbeIntervalNanos = settings.minProbeInterval.toNanos();
        this.maxRankingAgeNanos = settings.maxRankingAge.toNanos();
        this.marginMicros = settings.margin.toNanos() / 1_000;
        this.maxServers = settings.maxServers;
        this.probePermit = settings.probePermit;
        this.coolOffs = new CoolOffs(settings.coolOff, settings.maxCoolOff);
        this.samplesPerServer = samplesPerServer;
        this.buckets = buckets;
        this.random = random;
        this.memory = new RankingMemory(settings.maxNetworks, settings.rememberFor);
        this.remember = settings.remember;
        this.budget = new BudgetLedger(settings.budget);
        this.wallMillis = settings.wallMillis;
        this.refreshAfterMillis = settings.refreshAfter.toMillis();
        this.passive = new PassiveSamples(settings.passiveWindow.toNanos());
        for (String server : settings.servers) {
            add(Fleet.keyOf(server), server);
        }
        publish();
    }

    /** The policy's answer to {@code event} at {@code nowNanos}. */
    FleetStep on(FleetEvent event, long nowNanos) {
        FleetStep step = new FleetStep();
        ProbeAction changedBy = ProbeAction.SENT;
        if (event instanceof Ask) {
            Ask ask = (Ask) event;
            cause = ask.cause;
            trigger = ask.trigger;
            ask(ask, nowNanos, step);
            changedBy = step.action;
        } else if (event instanceof Decided) {
            decided((Decided) event, nowNanos, step);
        } else if (event instanceof Ended) {
            ended((Ended) event, nowNanos, step);
        } else if (event instanceof Observation) {
            cause = Cause.OBSERVATION;
            trigger = null;
            observed((Observation) event, nowNanos, step);
        } else if (event instanceof MemoryLoaded) {
            memory.load(((MemoryLoaded) event).rankings, wallMillis.getAsLong());
            memory.keepOnly(fleet);
        } else {
            cause = Cause.FOLLOW_UP;
            trigger = null;
            followUpScheduled = false;
            if (pinned == null) {
                probe(nowNanos, step);
            }
            changedBy = step.action;
        }
        ProbeAction how = changedBy;
        step.changes.replaceAll(c -> c.askedBy(cause, trigger, how));
        if (step.answer != null) {
            step.answer = step.answer.askedBy(cause, trigger, step.action);
        }
        publish();
        return step;
    }

    // ---- asks

    private void ask(Ask ask, long now, FleetStep step) {
        switch (ask.cause) {
            case PIN:
                add(ask.key, ask.address);
                pinned = ask.key;
                step.answer(setCurrent(pinnedChoice(), step), ProbeAction.NONE);
                return;
            case UNPIN:
                pinned = null;
                trigger(now, step);
                return;
            case REPORT_FAILURE:
                reportFailure(ask.key, now, step);
                return;
            case ADD_SERVER:
                add(ask.key, ask.address);
                current(now, step);
                return;
            case REMOVE_SERVER:
                remove(ask.key);
                current(now, step);
                return;
            case CURRENT:
                current(now, step);
                return;
            default:
                if (ask.network != null) {
                    networkChanged(ask.network, now, step);
                } else {
                    trigger(now, step);
                }
        }
    }

    private void trigger(long now, FleetStep step) {
        FleetChoice observed;
        if (pinned != null) {
            step.answer(pinnedChoice(), ProbeAction.NONE);
        } else if (trigger == Trigger.REFRESH && (observed = observedChoice(now)) != null) {
            step.answer(observed, ProbeAction.NONE);
        } else if (rateLimited(now) && ranking != null) {
            reuse(now, step, Reason.REUSED, ProbeAction.HELD_BY_RATE_LIMIT);
        } else {
            probe(now, step);
        }
    }

    // ---- the app's own measurements

    private void observed(Observation o, long now, FleetStep step) {
        if (!fleet.contains(o.key)) {
            return;
        }
        passive.add(o.key, o.micros, o.kind, now);
        if (o.key.equals(current) && pinned == null && deciding == FleetStep.NO_RUN && !rateLimited(now)
                && degraded(now)) {
            confirm(now, step);
        }
    }

    /** The best RTT known of a server that may be chosen now, other than the one in use; -1 when none. */
    private long bestAlternativeMicros(long now) {
        if (ranking == null) {
            return -1;
        }
        for (RankedEndpoint e : ranking.entries()) {
            String key = fleet.keyOfProbed(e.address());
            if (e.rttMicros().isPresent() && !key.equals(current) && fleet.contains(key) && !coolOffs.coolingOff(key, now)) {
                return e.rttMicros().getAsLong();
            }
        }
        return -1;
    }

    /**
     * The server in use has degraded: by at least two of the app's fresh samples it measures at
     * least 10 ms and a third slower than the ranking had it, and than the best alternative. One
     * sample is not evidence enough to probe (a single late packet on a cellular link would be);
     * an alternative the ranking already knew to be faster is no news (the choice stands by its
     * group).
     */
    private boolean degraded(long now) {
        long mine = current == null || passive.freshCount(current, now) < 2 ? -1 : passive.rttMicros(current, now);
        long alternative = bestAlternativeMicros(now);
        long before = rankedMicros(current);
        return mine >= 0 && alternative >= 0 && DrawGroup.muchSlower(mine, alternative)
                && (before < 0 || DrawGroup.muchSlower(mine, before));
    }

    /** {@code key}'s RTT in the ranking; -1 when it has none. */
    private long rankedMicros(String key) {
        if (ranking == null || key == null) {
            return -1;
        }
        for (RankedEndpoint e : ranking.entries()) {
            if (e.rttMicros().isPresent() && key.equals(fleet.keyOfProbed(e.address()))) {
                return e.rttMicros().getAsLong();
            }
        }
        return -1;
    }

    /**
     * A refresh answered by the app's own traffic: the server in use, when its samples are fresh,
     * it is not degraded, and the ranking would keep it; null otherwise (then the refresh probes).
     */
    private FleetChoice observedChoice(long now) {
        long mine = current == null || ranking == null ? -1 : passive.rttMicros(current, now);
        if (mine < 0 || degraded(now)) {
            return null;
        }
        FleetChoice kept = choose(Reason.OBSERVED, now, null);
        if (!kept.server().isPresent() || !current.equals(fleet.keyOfProbed(kept.server().get()))) {
            return null;
        }
        return kept.observed(mine, "kept the current server: its own traffic measures " + mine / 1_000
                + " ms, as good as the best alternative known: no probe");
    }

    /** Probes the best k (remembered, or of the last ranking) in the background, as the budget allows. */
    private void confirm(long now, FleetStep step) {
        long wall = wallMillis.getAsLong();
        boolean known = remember && network != null && memory.known(network, fleet, wall);
        List<String> keys = known ? memory.confirmSet(network, fleet, current, budget.confirmTop(), wall, k -> coolOffs.coolingOff(k, now))
                : topKeys(budget.confirmTop(), now);
        if (keys.isEmpty() || !budget.mayRound(now) || !probePermit.test(keys.size() * samplesPerServer)) {
            return;
        }
        long run = startRun(now, keys, false, true, step);
        runs.get(run).confirmation = Confirmation.of(keys, ranking, fleet,
                known ? memory.movedHere(network, fleet, wall) : Set.of(), k -> coolOffs.coolingOff(k, now));
    }

    /** The server in use and the best of the last ranking that may be chosen, k at most. */
    private List<String> topKeys(int k, long now) {
        List<String> keys = new ArrayList<>(k);
        if (current != null) {
            keys.add(current);
        }
        for (RankedEndpoint e : ranking.entries()) {
            String key = fleet.keyOfProbed(e.address());
            if (keys.size() < k && e.rttMicros().isPresent() && !keys.contains(key) && fleet.contains(key)
                    && !coolOffs.coolingOff(key, now)) {
                keys.add(key);
            }
        }
        return keys;
    }

    /**
     * The device is on {@code id} now: nothing of the old network's probe is taken for this one;
     * a known network answers from memory, another is probed whatever the rate limit says.
     */
    private void networkChanged(String id, long now, FleetStep step) {
        network = id;
        deciding = FleetStep.NO_RUN;
        rankingRun = runsStarted + 1;
        if (remember) {
            memory.used(id, wallMillis.getAsLong());
            memoryChanged = true;
        }
        if (pinned != null) {
            step.answer(pinnedChoice(), ProbeAction.NONE);
            return;
        }
        probe(now, step);
    }

    private void current(long now, FleetStep step) {
        if (pinned != null) {
            step.answer(pinnedChoice(), ProbeAction.NONE);
        } else if (ranking == null) {
            probe(now, step);
        } else {
            reuse(now, step, Reason.FRESH_ENOUGH, ProbeAction.NONE);
        }
    }

    private void reportFailure(String key, long now, FleetStep step) {
        coolOffs.failed(key, now);
        if (key.equals(current)) {
            current = null;
        }
        if (key.equals(pinned)) {
            step.answer(pinnedChoice(), ProbeAction.NONE); // pinned means pinned: the user decides
            return;
        }
        followUp(now, step);
        if (ranking == null) {
            probe(now, step);
            return;
        }
        fromWhatIsKnown(Reason.FAILOVER, ProbeAction.NONE, now, step);
    }

    /** Reuses the last ranking; a stale one is reused with a probe following. */
    private void reuse(long now, FleetStep step, Reason reason, ProbeAction how) {
        boolean stale = now - rankingNanos > maxRankingAgeNanos;
        if (stale && !backgroundUnderWay()) { // a confirmation under way renews the ranking already
            followUp(now, step);
        }
        fromWhatIsKnown(stale ? Reason.REUSED_STALE : reason, how, now, step);
    }

    /**
     * A choice from the last ranking at once when it has a usable server. When it has none only
     * because answers are still out (a failure or a removal right after an early decision), the
     * probe completing it decides again at its next moment of certainty, and the caller waits.
     */
    private void fromWhatIsKnown(Reason reason, ProbeAction how, long now, FleetStep step) {
        FleetChoice known = choose(reason, now, null);
        RunState source = runs.get(rankingRun);
        if (!known.server().isPresent() && !ranking.complete() && source != null) {
            if (source.againReasons.isEmpty()) {
                source.againCause = cause;
                source.againTrigger = trigger;
            }
            source.againReasons.add(reason);
            step.awaitReason = reason;
            step.decideAgain = true;
            step.await(rankingRun, how == ProbeAction.NONE ? ProbeAction.JOINED : how);
            return;
        }
        step.answer(setCurrent(known, step), how);
    }

    /**
     * Joins the probe that has not decided yet; on a known network answers from memory and
     * confirms; otherwise starts a full probe when the budget allows.
     */
    private void probe(long now, FleetStep step) {
        if (deciding != FleetStep.NO_RUN) {
            step.await(deciding, ProbeAction.JOINED);
            return;
        }
        boolean user = trigger == Trigger.SERVER_LIST_OPENED;
        if (!user && onKnownNetwork()) {
            fromMemory(now, step);
            return;
        }
        String why = !probePermit.test(fleet.size() * samplesPerServer) ? "the probe budget is spent: no new probe"
                : user ? null
                : !budget.mayRound(now) ? "the probe budget's rounds for this hour are spent: no new probe"
                : !budget.mayFull(network, now) ? "this network was fully probed within the budget's interval: no new probe"
                : null;
        if (why != null) {
            FleetChoice held = ranking == null ? FleetChoice.nothing(Duration.ZERO, "there is no ranking yet and " + why)
                    : choose(Reason.REUSED, now, why);
            step.answer(setCurrent(held, step), ProbeAction.HELD_BY_BUDGET);
            return;
        }
        if (network != null && rankingRun > runsStarted) {
            ranking = null; // the old network's: not reused on this one
        }
        long run = startRun(now, fleet.keys(), true, false, step);
        deciding = run;
        step.await(run, ProbeAction.SENT);
    }

    /** Remembering, on a network with a usable remembered ranking of this fleet. */
    private boolean onKnownNetwork() {
        return remember && network != null && memory.known(network, fleet, wallMillis.getAsLong());
    }

    /**
     * The answer from the ranking remembered for this network, at once; then, as the budget
     * allows, a confirmation of its top k (or a full probe when the memory is due a refresh),
     * not waited for.
     */
    private void fromMemory(long now, FleetStep step) {
        long wall = wallMillis.getAsLong();
        ranking = memory.ranking(network, fleet, buckets, wall);
        rankingFromMemory = true;
        rankingNanos = now - Math.max(0, wall - memory.newest(network, fleet, wall)) * 1_000_000L;
        rankingRun = runsStarted + 1;
        FleetChoice choice = setCurrent(choose(Reason.REMEMBERED, now, null), step);
        boolean full = wall - memory.lastFull(network) >= refreshAfterMillis && budget.mayFull(network, now);
        List<String> keys = full ? fleet.keys()
                : memory.confirmSet(network, fleet, current, budget.confirmTop(), wall, k -> coolOffs.coolingOff(k, now));
        ProbeAction how = ProbeAction.HELD_BY_BUDGET;
        if (!keys.isEmpty() && budget.mayRound(now) && probePermit.test(keys.size() * samplesPerServer)) {
            long run = startRun(now, keys, full, true, step);
            runs.get(run).confirmation = full ? null
                    : Confirmation.of(keys, ranking, fleet, memory.movedHere(network, fleet, wall), k -> coolOffs.coolingOff(k, now));
            how = ProbeAction.CONFIRMING;
        }
        step.answer(choice, how);
    }

    /** Starts a probe run of {@code keys}: spent from the budget, its servers noted as contacted. */
    private long startRun(long now, List<String> keys, boolean full, boolean background, FleetStep step) {
        long run = ++runsStarted;
        lastProbeNanos = now;
        probedOnce = true;
        RunState state = new RunState(now, cause, trigger);
        state.network = network;
        state.full = full;
        state.background = background;
        runs.put(run, state);
        budget.spent(now, network, full, keys.size() * samplesPerServer);
        memory.contacted(keys, wallMillis.getAsLong());
        memoryChanged |= remember;
        List<String> spellings = new ArrayList<>(keys.size());
        keys.forEach(k -> spellings.add(fleet.spelling(k)));
        step.startRun = run;
        step.startServers = spellings;
        return run;
    }

    private boolean backgroundUnderWay() {
        for (RunState r : runs.values()) {
            if (r.background) {
                return true;
            }
        }
        return false;
    }

    private boolean rateLimited(long now) {
        return probedOnce && now - lastProbeNanos < minProbeIntervalNanos;
    }

    /** A probe as soon as the rate limit allows, once. */
    private void followUp(long now, FleetStep step) {
        if (!followUpScheduled) {
            followUpScheduled = true;
            step.followUpInNanos = probedOnce ? Math.max(0, lastProbeNanos + minProbeIntervalNanos - now) : 0;
        }
    }

    // ---- probe runs

    private void decided(Decided d, long now, FleetStep step) {
        RunState run = runs.get(d.run);
        if (run == null || run.background) {
            return; // a background run (a confirmation, a refresh) acts when it ends
        }
        boolean again = run.decided;
        causedBy(run, again);
        run.decided = true;
        if (deciding == d.run) {
            deciding = FleetStep.NO_RUN;
        }
        boolean taken = accept(d.run, run, d.selection.rankingAtDecision());
        if (!again && !taken && pinned == null) {
            // the device changed networks while it ran: its own ranking answers those who waited for it
            step.settle(d.run, choose(d.selection.rankingAtDecision(), Reason.PROBED, now, null), null);
        } else if (!again) {
            step.settle(d.run, pinned != null ? pinnedChoice() : setCurrent(choose(Reason.PROBED, now, null), step), null);
        } else if (!run.againReasons.isEmpty()) {
            settleAgain(d.run, run, now, step, null);
        }
    }

    private void ended(Ended e, long now, FleetStep step) {
        RunState run = runs.remove(e.run);
        if (run == null) {
            return;
        }
        causedBy(run, !run.againReasons.isEmpty());
        if (deciding == e.run) {
            deciding = FleetStep.NO_RUN;
        }
        if (remember && run.network != null && e.ranking != null) {
            memory.remember(run.network, e.ranking, fleet, run.full, wallMillis.getAsLong());
            memoryChanged = true;
        }
        if (run.background) {
            afterBackground(e.run, run, e.ranking, now, step);
            return;
        }
        boolean accepted = e.ranking != null && accept(e.run, run, e.ranking);
        if (!run.decided) {
            FleetChoice choice = pinned != null ? pinnedChoice() : ranking == null ? null : setCurrent(choose(Reason.PROBED, now, null),
                    step);
            Throwable error = e.error != null ? e.error : choice == null
                    ? new IllegalStateException("the probe ended before it decided") : null;
            step.settle(e.run, error == null ? choice : null, error);
        } else if (!run.againReasons.isEmpty()) {
            settleAgain(e.run, run, now, step, e.error);
        } else if (accepted && pinned == null) {
            setCurrent(choose(Reason.PROBED, now, null), step); // the complete ranking: a change only if the choice changes
        }
    }

    /**
     * A confirmation or a refresh ended: the choice is made again from the memory it updated (a
     * change is reported), and a confirmation that contradicts the memory is followed by a full
     * probe, as the budget allows.
     */
    private void afterBackground(long id, RunState run, Ranking probed, long now, FleetStep step) {
        if (probed == null || !Objects.equals(run.network, network) || id < rankingRun || pinned != null || ranking == null) {
            return;
        }
        boolean contradicted = run.confirmation != null && run.confirmation.contradictedBy(probed, fleet, current);
        long wall = wallMillis.getAsLong();
        boolean fromMemory = remember && network != null;
        ranking = fromMemory ? memory.ranking(network, fleet, buckets, wall) : RankingMerge.merged(ranking, probed, fleet, buckets);
        rankingFromMemory = fromMemory;
        rankingNanos = run.startedNanos;
        rankingRun = id;
        setCurrent(choose(Reason.PROBED, now, null), step);
        if (contradicted && deciding == FleetStep.NO_RUN && budget.mayRound(now) && budget.mayFull(network, now)
                && probePermit.test(fleet.size() * samplesPerServer)) {
            startRun(now, fleet.keys(), true, true, step);
        }
    }

    /**
     * The answer to those who waited for a run to decide again: one choice (one draw, one server
     * in use), told to each with the reason of its own ask (a failover, a reuse).
     */
    private void settleAgain(long id, RunState run, long now, FleetStep step, Throwable error) {
        Reason primary = run.againReasons.contains(Reason.FAILOVER) ? Reason.FAILOVER : run.againReasons.iterator().next();
        FleetChoice choice = pinned != null ? pinnedChoice() : setCurrent(choose(primary, now, null), step);
        if (choice.server().isPresent() && !choice.pinned()) {
            for (Reason r : run.againReasons) {
                step.settledAs.put(r, r == primary ? choice : choice.because(r,
                        (choice.note().startsWith(KEPT) ? KEPT : DREW) + note(r, choice.rankingAge(), null)));
            }
        }
        run.againReasons.clear();
        step.settle(id, error == null || choice.server().isPresent() ? choice : null, choice.server().isPresent() ? null : error);
    }

    /** A run's events are on behalf of what started it, or of what asked it to decide again. */
    private void causedBy(RunState run, boolean again) {
        cause = again ? run.againCause : run.cause;
        trigger = again ? run.againTrigger : run.trigger;
    }

    /** Takes a run's ranking unless a later run's is in already. */
    private boolean accept(long id, RunState run, Ranking r) {
        if (id < rankingRun) {
            return false;
        }
        ranking = r;
        rankingFromMemory = false;
        rankingNanos = run.startedNanos;
        rankingRun = id;
        return true;
    }

    // ---- the fleet

    /**
     * Adds a server (the fleet unchanged when it is in already, however spelled).
     *
     * @throws FleetSelector.FleetFullException when the fleet is at its cap
     */
    void add(String key, String address) {
        if (!fleet.contains(key) && fleet.size() >= maxServers) {
            throw new FleetSelector.FleetFullException(address, maxServers);
        }
        fleet = fleet.with(key, address);
    }

    private void remove(String key) {
        fleet = fleet.without(key);
        coolOffs.forget(key);
        passive.forget(key);
        memory.keepOnly(fleet);
        memoryChanged |= remember;
        if (key.equals(pinned)) {
            pinned = null;
        }
        if (key.equals(current)) {
            current = null;
        }
    }

    // ---- choosing

    /**
     * The choice from the last ranking, over the servers that can be chosen (in the fleet,
     * answered, not cooling off) grouped among themselves: the current server when hysteresis
     * keeps it, else a uniform draw in the best group. Does not change the current server.
     */
    private FleetChoice choose(Reason reason, long now, String held) {
        FleetChoice c = choose(ranking, reason, now, held);
        return rankingFromMemory && c.server().isPresent() ? c.from(Source.MEMORY) : c;
    }

    private FleetChoice choose(Ranking ranking, Reason reason, long now, String held) {
        Duration age = Duration.ofNanos(Math.max(0, now - rankingNanos));
        List<RankedEndpoint> usable = new ArrayList<>();
        int cooling = 0;
        for (RankedEndpoint r : ranking.entries()) {
            String key = fleet.keyOfProbed(r.address());
            if (!fleet.contains(key) || r.bucket().compareTo(Bucket.NONE) >= 0) {
                continue;
            }
            if (coolOffs.coolingOff(key, now)) {
                cooling++;
            } else {
                usable.add(r);
            }
        }
        DrawGroup group = DrawGroup.of(usable, buckets);
        if (group == null) {
            String none = cooling > 0 ? "every server that answered has failed and is cooling off"
                    : ranking.complete() ? "no server answered the last probe" : "no server has answered the probe under way yet";
            return FleetChoice.nothing(age, held == null ? none : none + "; " + held);
        }
        List<RankedEndpoint> near = group.nearBest();
        RankedEndpoint kept = kept(usable, group, near);
        RankedEndpoint pick = kept != null ? kept : group.members().get(random.nextInt(group.members().size()));
        Bucket in = group.bucketOf(pick);
        int size = group.members().size();
        String how = kept != null ? KEPT : DREW;
        return FleetChoice.ranked(fleet.spelling(fleet.keyOfProbed(pick.address())), pick, in, size, reason, age,
                how + note(ranking, reason, age, held));
    }

    /**
     * The current server when it may be kept: no more loss than the group, and among its members
     * as good as the best, or within the margin of the best.
     */
    private RankedEndpoint kept(List<RankedEndpoint> usable, DrawGroup group, List<RankedEndpoint> near) {
        if (current == null) {
            return null;
        }
        for (RankedEndpoint r : usable) {
            if (current.equals(fleet.keyOfProbed(r.address())) && r.loss() <= group.loss()
                    && (near.contains(r) || r.rttMicros().getAsLong() <= group.fastestMemberMicros() + marginMicros)) {
                return r;
            }
        }
        return null;
    }

    private String note(Reason reason, Duration age, String held) {
        return note(ranking, reason, age, held);
    }

    private String note(Ranking ranking, Reason reason, Duration age, String held) {
        long ms = age.toMillis();
        if (held != null) {
            return " of a ranking " + ms + " ms old (" + held + ")";
        }
        switch (reason) {
            case REUSED: return " of a ranking " + ms + " ms old (rate limit: no new probe)";
            case REUSED_STALE: return " of a stale ranking " + ms + " ms old; a probe follows when the rate limit allows";
            case FRESH_ENOUGH: return " of a ranking " + ms + " ms old, young enough to reuse: no probe needed";
            case REMEMBERED: return " of the ranking remembered for this network (" + ms + " ms old); its best are confirmed";
            case FAILOVER: return " of the servers left after a failure (ranking " + ms + " ms old"
                    + (ranking.complete() ? ")" : ", its probe still completing)") + "; a probe follows";
            default: return " of a fresh probe" + (ranking.complete() ? "" : " (decided early: no answer still out could change it)");
        }
    }

    private FleetChoice pinnedChoice() {
        return FleetChoice.pinned(fleet.spelling(pinned));
    }

    /** Makes the choice's server the current one; a change (or a choice of nothing) is reported. */
    private FleetChoice setCurrent(FleetChoice choice, FleetStep step) {
        String key = choice.server().map(fleet::keyOfProbed).orElse(null);
        if (key == null || !key.equals(current)) {
            current = key;
            step.changes.add(choice);
        }
        return choice;
    }

    // ---- what others read

    private void publish() {
        snapshot = new DrawSnapshot(fleet, coolOffs.untilByKey(), current == null ? null : fleet.spelling(current), marginMicros);
    }

    /** The drawable and kept servers as of the last event, for the probe run's decisions. */
    DrawSnapshot snapshot() {
        return snapshot;
    }

    Fleet fleet() {
        return fleet;
    }

    String pinned() {
        return pinned == null ? null : fleet.spelling(pinned);
    }

    Ranking ranking() {
        return ranking;
    }

    long rankingNanos() {
        return rankingNanos;
    }

    long runsStarted() {
        return runsStarted;
    }

    String network() {
        return network;
    }

    ProbeFigures figures() {
        return new ProbeFigures(budget.syns, budget.rounds, budget.fullProbes, budget.confirmations,
                memory.contactedInDay(wallMillis.getAsLong()));
    }

    /** What is remembered, when it changed since the last call (to be saved); else null. */
    RememberedRankings takeMemoryChange() {
        if (!memoryChanged) {
            return null;
        }
        memoryChanged = false;
        return memory.snapshot();
    }

    /** Forgets every network's ranking and every contact, and which networks the budget has seen. */
    void forgetMemory() {
        memory.forget(wallMillis.getAsLong());
        budget.forgetNetworks();
        memoryChanged = true;
    }
}

package io.rttpick.selector;

import io.rttpick.selector.FleetChoice.ProbeAction;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What the fleet policy says to do after an event: answer the caller now or have it wait for a
 * probe run's decision; start a probe; ask a run to decide again; hand a run's waiters their
 * answer; report changes of the server in use; time the follow-up probe. The selector carries it
 * out, in this order: start, decide again, settle, changes, answer.
 */
final class FleetStep {
    static final long NO_RUN = -1;

    /** The caller's answer now, or null when it waits for {@link #awaitRun}. */
    FleetChoice answer;
    long awaitRun = NO_RUN;
    /** When the caller waits for a run to decide again: the reason its answer is to give. */
    FleetChoice.Reason awaitReason;
    /** How the caller's answer came about, for {@link FleetChoice#probe()}. */
    ProbeAction action = ProbeAction.NONE;
    /** A probe to start: its run id and the servers, as spelled. */
    long startRun = NO_RUN;
    List<String> startServers;
    /** Ask {@link #awaitRun} to decide again at its next moment of certainty. */
    boolean decideAgain;
    /** Every caller waiting for this run gets {@link #settled}, or {@link #settledError}. */
    long settledRun = NO_RUN;
    FleetChoice settled;
    Throwable settledError;
    /** The settled choice restated per reason, for callers who waited with {@link #awaitReason}. */
    final Map<FleetChoice.Reason, FleetChoice> settledAs = new EnumMap<>(FleetChoice.Reason.class);
    final List<FleetChoice> changes = new ArrayList<>(1);
    /** When the follow-up probe is due, from now; negative for none to schedule. */
    long followUpInNanos = -1;

    void answer(FleetChoice choice, ProbeAction how) {
        this.answer = choice;
        this.action = how;
    }

    void await(long run, ProbeAction how) {
        this.awaitRun = run;
        this.action = how;
    }

    /** The settled answer for a caller who waited with {@code reason} (null: it waited for the first decision). */
    FleetChoice settledFor(FleetChoice.Reason reason) {
        return reason == null ? settled : settledAs.getOrDefault(reason, settled);
    }

    void settle(long run, FleetChoice choice, Throwable error) {
        this.settledRun = run;
        this.settled = choice;
        this.settledError = error;
    }
}

package io.rttpick.selector;

import io.rttpick.selector.FleetEvent.Ask;
import reactor.core.publisher.Sinks;

/** A caller of the fleet selector waiting for a probe run's decision, with how it asked. */
final class FleetWaiter {
    private final Ask ask;
    private final FleetChoice.ProbeAction action;
    /** The reason its answer gives when it waits for a run to decide again; null for the first decision. */
    final FleetChoice.Reason reason;
    private final Sinks.One<FleetChoice> answer;

    FleetWaiter(Ask ask, FleetStep step, Sinks.One<FleetChoice> answer) {
        this.ask = ask;
        this.action = step.action;
        this.reason = step.awaitReason;
        this.answer = answer;
    }

    void settle(FleetChoice choice, Throwable error) {
        if (error != null) {
            answer.tryEmitError(error);
        } else {
            answer.tryEmitValue(choice.askedBy(ask.cause, ask.trigger, action));
        }
    }
}

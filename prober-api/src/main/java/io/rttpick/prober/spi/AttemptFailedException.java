package io.rttpick.prober.spi;

import io.rttpick.prober.Outcome;

/** A connect that failed at once (no route, a firewall rule, a refused bind): its outcome is known. */
public final class AttemptFailedException extends Exception {
    private final Outcome outcome;

    public AttemptFailedException(Outcome outcome, String message) {
        super(message);
        if (outcome == Outcome.OK) {
            throw new IllegalArgumentException("a failure cannot be OK");
        }
        this.outcome = outcome;
    }

    public Outcome outcome() {
        return outcome;
    }
}

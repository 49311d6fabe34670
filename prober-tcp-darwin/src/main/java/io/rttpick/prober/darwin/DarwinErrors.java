package io.rttpick.prober.darwin;

import io.rttpick.prober.Outcome;
import io.rttpick.prober.spi.AttemptFailedException;
import io.rttpick.prober.spi.NoRoomException;
import io.rttpick.prober.unix.ErrnoOutcomes;
import io.rttpick.prober.unix.NativeCallException;
import io.rttpick.prober.unix.UnixSystem;

/** errno to outcome with Darwin's numbering: the same outcomes for the same causes as on Linux. */
final class DarwinErrors {
    static final ErrnoOutcomes OUTCOMES = UnixSystem.DARWIN.outcomes();

    private DarwinErrors() {
    }

    static Outcome outcomeOf(int errno) {
        return OUTCOMES.outcomeOf(errno);
    }

    static String describe(DarwinSystem system, int errno) {
        return OUTCOMES.describe(errno, system.strerror(errno));
    }

    /** The failure for a connect that could not start; throws instead when it only lacks room. */
    static AttemptFailedException failure(DarwinSystem system, NativeCallException e) throws NoRoomException {
        return OUTCOMES.failure(e.errno(), e.getMessage(), system.strerror(e.errno()));
    }
}

package io.rttpick.prober.linux;

import io.rttpick.prober.Outcome;
import io.rttpick.prober.spi.AttemptFailedException;
import io.rttpick.prober.spi.NoRoomException;
import io.rttpick.prober.unix.ErrnoOutcomes;
import io.rttpick.prober.unix.Native;
import io.rttpick.prober.unix.NativeCallException;
import io.rttpick.prober.unix.UnixSystem;

/** errno to outcome with Linux's numbering, for connect's immediate answer and for SO_ERROR. */
final class Errors {
    static final ErrnoOutcomes OUTCOMES = UnixSystem.LINUX.outcomes();

    private Errors() {
    }

    static Outcome outcomeOf(int errno) {
        return OUTCOMES.outcomeOf(errno);
    }

    static String describe(int errno) {
        return OUTCOMES.describe(errno, Native.strerror(errno));
    }

    /** Out of descriptors, socket buffers or local ports: wait for room rather than fail. */
    static boolean isNoRoom(int errno) {
        return OUTCOMES.isNoRoom(errno);
    }

    /** The failure to throw for a connect that could not start; throws instead when it only lacks room. */
    static AttemptFailedException failure(NativeCallException e) throws NoRoomException {
        return OUTCOMES.failure(e.errno(), e.getMessage(), Native.strerror(e.errno()));
    }
}

package io.rttpick.prober.darwin;

import static io.rttpick.prober.darwin.DarwinConstants.EACCES;
import static io.rttpick.prober.darwin.DarwinConstants.EADDRNOTAVAIL;
import static io.rttpick.prober.darwin.DarwinConstants.EAGAIN;
import static io.rttpick.prober.darwin.DarwinConstants.ECONNREFUSED;
import static io.rttpick.prober.darwin.DarwinConstants.EHOSTUNREACH;
import static io.rttpick.prober.darwin.DarwinConstants.EMFILE;
import static io.rttpick.prober.darwin.DarwinConstants.ENETUNREACH;
import static io.rttpick.prober.darwin.DarwinConstants.ENFILE;
import static io.rttpick.prober.darwin.DarwinConstants.ENOBUFS;
import static io.rttpick.prober.darwin.DarwinConstants.ENOMEM;
import static io.rttpick.prober.darwin.DarwinConstants.EPERM;
import static io.rttpick.prober.darwin.DarwinConstants.ETIMEDOUT;

import io.rttpick.prober.Outcome;
import io.rttpick.prober.spi.AttemptFailedException;
import io.rttpick.prober.spi.NoRoomException;

/** Darwin errno to outcome, as the Linux prober maps Linux's: the same outcomes for the same causes. */
final class DarwinErrors {
    private DarwinErrors() {
    }

    static Outcome outcomeOf(int errno) {
        if (errno == ECONNREFUSED) {
            return Outcome.REFUSED;
        }
        if (errno == EHOSTUNREACH || errno == ENETUNREACH) {
            return Outcome.UNREACHABLE;
        }
        if (errno == EACCES || errno == EPERM) {
            return Outcome.PERMISSION_DENIED;
        }
        if (errno == ETIMEDOUT) {
            return Outcome.TIMEOUT;
        }
        return Outcome.ERROR;
    }

    /** Out of descriptors, buffers or local ports: the attempt waits for room instead of failing. */
    static boolean isNoRoom(int errno) {
        return errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM
                || errno == EADDRNOTAVAIL || errno == EAGAIN;
    }

    static String describe(DarwinSystem system, int errno) {
        String text = system.strerror(errno);
        return outcomeOf(errno) == Outcome.PERMISSION_DENIED ? AttemptFailedException.permissionDeniedText(text) : text;
    }

    /** The failure for a connect that could not start; throws instead when it only lacks room. */
    static AttemptFailedException failure(DarwinSystem system, DarwinCallException e) throws NoRoomException {
        if (isNoRoom(e.errno())) {
            throw new NoRoomException(e.getMessage());
        }
        Outcome outcome = outcomeOf(e.errno());
        return new AttemptFailedException(outcome, outcome == Outcome.ERROR ? e.getMessage() : describe(system, e.errno()));
    }
}

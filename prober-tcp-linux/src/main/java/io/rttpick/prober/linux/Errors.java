package io.rttpick.prober.linux;

import static io.rttpick.prober.linux.LinuxConstants.EACCES;
import static io.rttpick.prober.linux.LinuxConstants.EADDRNOTAVAIL;
import static io.rttpick.prober.linux.LinuxConstants.EAGAIN;
import static io.rttpick.prober.linux.LinuxConstants.ECONNREFUSED;
import static io.rttpick.prober.linux.LinuxConstants.EHOSTUNREACH;
import static io.rttpick.prober.linux.LinuxConstants.EMFILE;
import static io.rttpick.prober.linux.LinuxConstants.ENETUNREACH;
import static io.rttpick.prober.linux.LinuxConstants.ENFILE;
import static io.rttpick.prober.linux.LinuxConstants.ENOBUFS;
import static io.rttpick.prober.linux.LinuxConstants.ENOMEM;
import static io.rttpick.prober.linux.LinuxConstants.EPERM;
import static io.rttpick.prober.linux.LinuxConstants.ETIMEDOUT;

import io.rttpick.prober.Outcome;
import io.rttpick.prober.spi.AttemptFailedException;
import io.rttpick.prober.spi.NoRoomException;

/** errno to outcome, for connect's immediate answer and for SO_ERROR. */
final class Errors {
    private Errors() {
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

    /** Out of descriptors, memory or local ports: the attempt waits for room instead of failing. */
    static boolean isNoRoom(int errno) {
        return errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM
                || errno == EADDRNOTAVAIL || errno == EAGAIN;
    }

    static String describe(int errno) {
        String text = Native.strerror(errno);
        return outcomeOf(errno) == Outcome.PERMISSION_DENIED ? AttemptFailedException.permissionDeniedText(text) : text;
    }

    /** The failure to throw for a connect that could not start; throws instead when it only lacks room. */
    static AttemptFailedException failure(NativeCallException e) throws NoRoomException {
        if (isNoRoom(e.errno())) {
            throw new NoRoomException(e.getMessage());
        }
        Outcome outcome = outcomeOf(e.errno());
        String text = outcome == Outcome.ERROR ? e.getMessage() : describe(e.errno());
        return new AttemptFailedException(outcome, text);
    }
}

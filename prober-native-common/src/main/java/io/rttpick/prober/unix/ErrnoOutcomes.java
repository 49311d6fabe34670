package io.rttpick.prober.unix;

import io.rttpick.prober.Outcome;
import io.rttpick.prober.spi.AttemptFailedException;
import io.rttpick.prober.spi.NoRoomException;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;

/**
 * errno to outcome, with the same rules on every platform and each platform's own numbering:
 * ECONNREFUSED is REFUSED, EHOSTUNREACH / ENETUNREACH UNREACHABLE, EACCES / EPERM
 * PERMISSION_DENIED (with what it can be), ETIMEDOUT TIMEOUT; out of descriptors, buffers or
 * local ports (EMFILE, ENFILE, ENOBUFS, ENOMEM, EADDRNOTAVAIL, EAGAIN) the attempt waits for
 * room instead of failing.
 */
public final class ErrnoOutcomes {
    private final int refused;
    private final int hostUnreachable;
    private final int netUnreachable;
    private final int accessDenied;
    private final int notPermitted;
    private final int timedOut;
    private final int[] noRoom;

    /** @param errno the platform's value of an errno by its symbolic name ("ECONNREFUSED") */
    public ErrnoOutcomes(ToIntFunction<String> errno) {
        this.refused = errno.applyAsInt("ECONNREFUSED");
        this.hostUnreachable = errno.applyAsInt("EHOSTUNREACH");
        this.netUnreachable = errno.applyAsInt("ENETUNREACH");
        this.accessDenied = errno.applyAsInt("EACCES");
        this.notPermitted = errno.applyAsInt("EPERM");
        this.timedOut = errno.applyAsInt("ETIMEDOUT");
        this.noRoom = Stream.of("EMFILE", "ENFILE", "ENOBUFS", "ENOMEM", "EADDRNOTAVAIL", "EAGAIN").mapToInt(errno).toArray();
    }

    public Outcome outcomeOf(int errno) {
        if (errno == refused) {
            return Outcome.REFUSED;
        }
        if (errno == hostUnreachable || errno == netUnreachable) {
            return Outcome.UNREACHABLE;
        }
        if (errno == accessDenied || errno == notPermitted) {
            return Outcome.PERMISSION_DENIED;
        }
        if (errno == timedOut) {
            return Outcome.TIMEOUT;
        }
        return Outcome.ERROR;
    }

    public boolean isNoRoom(int errno) {
        for (int e : noRoom) {
            if (e == errno) {
                return true;
            }
        }
        return false;
    }

    /** The system's text, with what a PERMISSION_DENIED can be. */
    public String describe(int errno, String systemText) {
        return outcomeOf(errno) == Outcome.PERMISSION_DENIED ? AttemptFailedException.permissionDeniedText(systemText) : systemText;
    }

    /**
     * The failure for a connect that could not start, from the failed call's errno and message;
     * throws instead when the attempt only lacks room.
     */
    public AttemptFailedException failure(int errno, String callMessage, String systemText) throws NoRoomException {
        if (isNoRoom(errno)) {
            throw new NoRoomException(callMessage);
        }
        Outcome outcome = outcomeOf(errno);
        return new AttemptFailedException(outcome, outcome == Outcome.ERROR ? callMessage : describe(errno, systemText));
    }
}

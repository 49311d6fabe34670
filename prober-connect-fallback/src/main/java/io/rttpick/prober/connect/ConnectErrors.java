package io.rttpick.prober.connect;

import io.rttpick.prober.Outcome;
import io.rttpick.prober.spi.AttemptFailedException;
import io.rttpick.prober.spi.NoRoomException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.util.Locale;

/**
 * Maps java.nio's connect exceptions to outcomes. The JDK gives us only exception types and the
 * system's error text (strerror on Unix, the WSA text on Windows), so the text is matched too.
 */
final class ConnectErrors {
    private ConnectErrors() {
    }

    static Outcome outcomeOf(Exception e) {
        String text = lower(e);
        if (e instanceof NoRouteToHostException || text.contains("unreachable") || text.contains("no route")) {
            return Outcome.UNREACHABLE;
        }
        if (text.contains("refused")) {
            return Outcome.REFUSED;
        }
        if (text.contains("permission denied") || text.contains("not permitted") || text.contains("access is denied")) {
            return Outcome.PERMISSION_DENIED;
        }
        if (text.contains("timed out")) {
            return Outcome.TIMEOUT;
        }
        if (e instanceof ConnectException) {
            return Outcome.REFUSED;
        }
        return Outcome.ERROR;
    }

    /**
     * ECONNRESET while finishing a connect: only an established connection can be reset (a RST
     * to a SYN is a refusal), so the handshake completed before the server reset it.
     */
    static boolean isResetAfterHandshake(Exception e) {
        return lower(e).contains("connection reset");
    }

    /** Out of descriptors or local ports: wait for room instead of failing. */
    static boolean isNoRoom(Exception e) {
        String text = lower(e);
        return text.contains("too many open files") || text.contains("cannot assign requested address")
                || text.contains("no buffer space");
    }

    /** The failure to throw for a connect that could not start; throws instead when it only lacks room. */
    static AttemptFailedException failure(Exception e) throws NoRoomException {
        if (isNoRoom(e)) {
            throw new NoRoomException(describe(e));
        }
        return new AttemptFailedException(outcomeOf(e), describe(e));
    }

    static String describe(Exception e) {
        Outcome outcome = outcomeOf(e);
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (outcome == Outcome.PERMISSION_DENIED) {
            return AttemptFailedException.permissionDeniedText(message);
        }
        return message;
    }

    private static String lower(Exception e) {
        return e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
    }
}

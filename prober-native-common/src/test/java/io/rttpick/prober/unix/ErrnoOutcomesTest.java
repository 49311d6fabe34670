package io.rttpick.prober.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.prober.Outcome;
import io.rttpick.prober.spi.AttemptFailedException;
import io.rttpick.prober.spi.NoRoomException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrnoOutcomesTest {
    // a made-up numbering: the rules must follow the names, whatever the numbers
    private static final Map<String, Integer> NUMBERS = Map.ofEntries(Map.entry("ECONNREFUSED", 1),
            Map.entry("EHOSTUNREACH", 2), Map.entry("ENETUNREACH", 3), Map.entry("EACCES", 4), Map.entry("EPERM", 5),
            Map.entry("ETIMEDOUT", 6), Map.entry("EMFILE", 7), Map.entry("ENFILE", 8), Map.entry("ENOBUFS", 9),
            Map.entry("ENOMEM", 10), Map.entry("EADDRNOTAVAIL", 11), Map.entry("EAGAIN", 12));
    private final ErrnoOutcomes outcomes = new ErrnoOutcomes(NUMBERS::get);

    @Test
    void eachCauseHasItsOutcome() {
        assertEquals(Outcome.REFUSED, outcomes.outcomeOf(1));
        assertEquals(Outcome.UNREACHABLE, outcomes.outcomeOf(2));
        assertEquals(Outcome.UNREACHABLE, outcomes.outcomeOf(3));
        assertEquals(Outcome.PERMISSION_DENIED, outcomes.outcomeOf(4));
        assertEquals(Outcome.PERMISSION_DENIED, outcomes.outcomeOf(5));
        assertEquals(Outcome.TIMEOUT, outcomes.outcomeOf(6));
        assertEquals(Outcome.ERROR, outcomes.outcomeOf(99));
    }

    @Test
    void lackOfRoomIsNotAFailure() throws Exception {
        for (int e = 7; e <= 12; e++) {
            assertTrue(outcomes.isNoRoom(e));
            int errno = e;
            assertThrows(NoRoomException.class, () -> outcomes.failure(errno, "socket: no room", "text"));
        }
        assertFalse(outcomes.isNoRoom(1));
    }

    @Test
    void failuresCarryTheSystemsTextAndSayWhatAPermissionDenialCanBe() throws Exception {
        AttemptFailedException denied = outcomes.failure(5, "connect: Operation not permitted (errno 5)", "Operation not permitted");
        assertEquals(Outcome.PERMISSION_DENIED, denied.outcome());
        assertEquals(AttemptFailedException.permissionDeniedText("Operation not permitted"), denied.getMessage());
        assertTrue(denied.getMessage().contains("firewall"), denied.getMessage());
        AttemptFailedException other = outcomes.failure(99, "connect: Weird (errno 99)", "Weird");
        assertEquals("connect: Weird (errno 99)", other.getMessage(), "an ERROR keeps the call's own message");
        assertEquals("No route to host", outcomes.describe(2, "No route to host"));
    }
}

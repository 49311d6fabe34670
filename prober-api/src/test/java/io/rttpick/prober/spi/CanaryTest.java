package io.rttpick.prober.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rttpick.prober.Handshake;
import io.rttpick.prober.Prober;
import io.rttpick.prober.engine.EventLoopProber;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A half-open canary tells a prober that completes the handshake from a machine too slow to close
 * before the kernel's delayed ACK: the first fails, the second is tried again and, late every
 * round, trusted with a note.
 */
class CanaryTest {
    private static final int LATE = 60; // ms: well past LATE_CLOSE (20 ms), as a close after the delayed ACK is
    private static final Canary CANARY = new Canary(Handshake.HALF_OPEN, Duration.ofSeconds(2));

    @BeforeAll
    static void warm() {
        // the first probes in a JVM load the engine's classes: that time must not count as a late close
        verdict(new CompletingTransport(n -> 0));
    }

    @Test
    void aHandshakeCompletedRightAfterTheSynAckFailsAtOnce() {
        CompletingTransport transport = new CompletingTransport(n -> 0);
        Canary.Verdict v = verdict(transport);
        assertTrue(v.problem().isPresent(), "a prober that completes the handshake was trusted");
        assertTrue(v.problem().get().contains("inside the kernel's delayed-ACK window"), v.problem().get());
        assertTrue(v.problem().get().contains("not left half-open"), v.problem().get());
        assertEquals(2, transport.finished(), "a prompt completion is not worth another round");
    }

    @Test
    void lateClosesEveryRoundAreTrustedWithANote() {
        CompletingTransport transport = new CompletingTransport(n -> LATE);
        Canary.Verdict v = verdict(transport);
        assertFalse(v.problem().isPresent(), () -> v.problem().get());
        assertTrue(v.note().isPresent(), "no note for a machine too slow to keep the handshake half-open");
        assertTrue(v.note().get().contains("3 rounds of 3") && v.note().get().contains("too slow"), v.note().get());
        assertEquals(2 * Canary.ROUNDS, transport.finished());
        Availability a = v.availability("x");
        assertTrue(a.isAvailable());
        assertEquals(v.note(), a.note());
    }

    @Test
    void aLateFirstRoundThenAHalfOpenOneIsTrustedWithoutNote() {
        assumeTrue(CompletingTransport.halfOpenPossible(), "this JDK cannot turn TCP_QUICKACK off");
        CompletingTransport transport = new CompletingTransport(n -> n < 2 ? LATE : 0, 3); // round 2 connects from #3
        Canary.Verdict v = verdict(transport);
        assertFalse(v.problem().isPresent(), () -> v.problem().get());
        assertFalse(v.note().isPresent(), () -> v.note().get());
        assertEquals(4, transport.finished(), "two rounds");
    }

    @Test
    void aLateRoundThenAPromptCompletionFails() {
        CompletingTransport transport = new CompletingTransport(n -> n < 2 ? LATE : 0);
        Canary.Verdict v = verdict(transport);
        assertTrue(v.problem().isPresent(), "a prompt completion after a late round was trusted");
        assertEquals(4, transport.finished());
    }

    private static Canary.Verdict verdict(Transport<?> transport) {
        try (Prober prober = new EventLoopProber<>("test", transport)) {
            return CANARY.verdict(prober);
        }
    }
}

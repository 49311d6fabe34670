package io.rttpick.prober.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WakeupSignalTest {

    @Test
    void signalsUntilClosedAndReleasesOnceOnly() {
        AtomicInteger signals = new AtomicInteger();
        AtomicInteger releases = new AtomicInteger();
        WakeupSignal wake = new WakeupSignal("test", signals::incrementAndGet, releases::incrementAndGet);
        wake.signal();
        wake.signal();
        assertTrue(wake.close());
        assertFalse(wake.close());
        wake.signal(); // the descriptor may be someone else's now: nothing may be written to it
        assertEquals(2, signals.get());
        assertEquals(1, releases.get());
    }

    @Test
    void aFailingSignalIsLoggedNotThrown() {
        WakeupSignal wake = new WakeupSignal("test", () -> {
            throw new IOException("EBADF");
        }, () -> {
            throw new IOException("EBADF");
        });
        wake.signal();
        assertTrue(wake.close());
    }
}

package io.rttpick.prober.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jnr.ffi.Pointer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NativeArenaTest {
    @BeforeAll
    static void linuxOnly() {
        assumeTrue(LinuxEpoll.isAvailable(), () -> "linux-epoll unavailable: " + LinuxEpoll.unavailabilityCause());
    }

    @Test
    void buffersStartZeroedAndHoldWhatIsWritten() {
        try (NativeArena arena = new NativeArena()) {
            Pointer a = arena.allocate(256);
            Pointer b = arena.allocate(8);
            for (int i = 0; i < 256; i++) {
                assertEquals(0, a.getByte(i), "byte " + i);
            }
            a.putLong(248, -1L);
            b.putLong(0, 42L);
            assertEquals(-1L, a.getLong(248));
            assertEquals(42L, b.getLong(0));
        }
    }

    @Test
    void closingTwiceFreesOnceAndAClosedArenaGivesNoMore() {
        NativeArena arena = new NativeArena();
        arena.allocate(16);
        arena.close();
        arena.close(); // a double free would abort the JVM here
        assertThrows(IllegalStateException.class, () -> arena.allocate(16));
    }

    @Test
    void libcErrorTextsComeThroughItsOwnStorage() {
        assertEquals("Connection refused", Native.strerror(LinuxConstants.ECONNREFUSED));
    }
}

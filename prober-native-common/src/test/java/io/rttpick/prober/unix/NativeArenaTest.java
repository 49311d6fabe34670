package io.rttpick.prober.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jnr.ffi.Pointer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NativeArenaTest {
    @BeforeAll
    static void linuxOnly() {
        assumeTrue(Native.system() == UnixSystem.LINUX, "Linux's libc");
        Native.load();
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
    void aBufferTooSmallIsReplacedByOneAtLeastTwiceItsSize() {
        try (NativeArena arena = new NativeArena()) {
            Pointer small = arena.allocate(16);
            assertEquals(16, small.size());
            assertSame(small, arena.atLeast(small, 16));
            Pointer larger = arena.atLeast(small, 17);
            assertEquals(32, larger.size());
            assertEquals(100, arena.atLeast(larger, 100).size());
        }
    }

    @Test
    void libcErrorTextsComeThroughItsOwnStorage() {
        assertEquals("Connection refused", Native.strerror(UnixSystem.LINUX.errno("ECONNREFUSED")));
    }
}

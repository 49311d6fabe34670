package io.rttpick.prober.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Locale;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.junit.jupiter.api.Test;

/** struct epoll_event: 12 bytes packed on x86_64, 16 bytes on aarch64. A wrong one silently reads fd 0. */
class EpollEventLayoutTest {
    @Test
    void x86IsPacked() {
        EpollEventLayout l = EpollEventLayout.forArch("amd64");
        assertSame(EpollEventLayout.PACKED, l);
        assertEquals(12, l.size);
        assertEquals(4, l.dataOffset);
        assertSame(EpollEventLayout.PACKED, EpollEventLayout.forArch("x86_64"));
        assertSame(EpollEventLayout.PACKED, EpollEventLayout.forArch("i386"));
    }

    @Test
    void arm64IsAligned() {
        EpollEventLayout l = EpollEventLayout.forArch("aarch64");
        assertSame(EpollEventLayout.ALIGNED, l);
        assertEquals(16, l.size);
        assertEquals(8, l.dataOffset);
        assertSame(EpollEventLayout.ALIGNED, EpollEventLayout.forArch("riscv64"));
    }

    @Test
    void thisMachinesLayoutMatchesItsArchitecture() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        int expected = arch.equals("amd64") || arch.equals("x86_64") ? 12 : arch.equals("aarch64") ? 16 : -1;
        if (expected > 0) {
            assertEquals(expected, EpollEventLayout.current().size);
        }
    }

    @Test
    void bytesAreWhereTheKernelPutsThem() {
        for (EpollEventLayout l : new EpollEventLayout[] {EpollEventLayout.PACKED, EpollEventLayout.ALIGNED}) {
            Pointer p = Runtime.getSystemRuntime().getMemoryManager().allocateDirect(3 * l.size, true);
            l.put(p, 1, Epoll.EPOLLOUT, 1234);
            assertEquals(Epoll.EPOLLOUT, p.getInt(l.size), l.toString());
            assertEquals(1234L, p.getLong(l.size + l.dataOffset), l.toString());
            assertEquals(0, p.getInt(0));
            assertEquals(0, p.getInt(2L * l.size));
            assertEquals(1234, l.fd(p, 1));
            assertEquals(Epoll.EPOLLOUT, l.events(p, 1));
        }
    }
}

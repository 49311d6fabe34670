package io.rttpick.prober.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.prober.Probers;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The classes load on any OS (no native code runs at class load), and the kill switch is honoured. */
class LoadClassTest {
    @Test
    void everyClassLoadsWithoutInitialising() throws Exception {
        for (String name : new String[] {"unix.LibC", "unix.Native", "unix.NativeCallException", "linux.LinuxConstants",
                "unix.EpollEventLayout", "linux.TcpInfo", "unix.SockAddr", "linux.Errors", "linux.EpollTransport",
                "linux.LinuxEpoll", "linux.LinuxEpollProberProvider"}) {
            Class.forName("io.rttpick.prober." + name, false, getClass().getClassLoader());
        }
        assertEquals("linux-epoll", new LinuxEpollProberProvider().name());
    }

    @Test
    void noNativeMakesItUnavailableWithThatReason() {
        Probers probers = Probers.of(java.util.List.of(new LinuxEpollProberProvider()),
                Map.of(Probers.NO_NATIVE_PROPERTY, "true")::get);
        Probers.Candidate c = probers.candidates().get(0);
        assertTrue(!c.available() && c.reason().contains("rttpick.noNative"), c.reason());
        assertTrue(Probers.load().candidates().stream().anyMatch(x -> x.name().equals("linux-epoll")));
        assertTrue(probers.report().contains("linux-epoll"));
    }
}

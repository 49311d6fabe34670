package io.rttpick.prober.darwin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.rttpick.prober.ProberUnavailableException;
import io.rttpick.prober.Probers;
import io.rttpick.prober.spi.ProberProvider;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DarwinKqueueProberProviderTest {
    private static boolean onMac() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("mac");
    }

    @Test
    void loadsOnAnyOsAndIsFoundByServiceLoader() {
        Probers probers = Probers.load();
        assertTrue(probers.candidates().stream().anyMatch(c -> c.name().equals("darwin-kqueue")), probers.report());
    }

    @Test
    void elsewhereThanMacOsItSaysWhichOsThisIs() {
        assumeFalse(onMac(), "on a Mac it must be available");
        ProberProvider p = new DarwinKqueueProberProvider();
        assertEquals("darwin-kqueue", p.name());
        assertTrue(p.isNative());
        assertFalse(p.isAvailable());
        String cause = p.unavailabilityCause().orElseThrow().getMessage();
        assertTrue(cause.startsWith("not macOS: this is " + System.getProperty("os.name")), cause);
        ProberUnavailableException e = assertThrows(ProberUnavailableException.class, p::create);
        assertTrue(e.getMessage().startsWith("prober 'darwin-kqueue' is unavailable: not macOS"), e.getMessage());
        assertThrows(ProberUnavailableException.class, () -> Probers.load().choose(Optional.of("darwin-kqueue")));
    }

    @Test
    void onMacOsAvailabilityIsJudgedByReallyMakingTheCalls() {
        SimulatedDarwin system = new SimulatedDarwin();
        assertNull(DarwinKqueue.check("Mac OS X", "aarch64", () -> system));
        assertEquals(0, system.openDescriptors(), "the check closes what it opened");
        assertTrue(system.misuses().isEmpty(), system.misuses().toString());

        SimulatedDarwin failing = new SimulatedDarwin();
        failing.socketsFailing.set(1);
        failing.socketFailureErrno = DarwinConstants.EACCES;
        Throwable cause = DarwinKqueue.check("Mac OS X", "x86_64", () -> failing);
        assertTrue(cause.getMessage().startsWith("native calls failed: "), cause.getMessage());
        assertTrue(cause.getMessage().contains("Permission denied"), cause.getMessage());

        Throwable noLibrary = DarwinKqueue.check("Mac OS X", "aarch64", () -> {
            throw new UnsatisfiedLinkError("no libc");
        });
        assertTrue(noLibrary.getMessage().contains("no libc"), noLibrary.getMessage());
        Throwable old = DarwinKqueue.check("Mac OS X", "i386", SimulatedDarwin::new);
        assertTrue(old.getMessage().contains("supports 64-bit arm64 and x86_64"), old.getMessage());
    }
}

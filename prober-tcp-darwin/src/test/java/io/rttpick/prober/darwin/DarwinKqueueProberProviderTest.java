package io.rttpick.prober.darwin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.prober.Probers;
import io.rttpick.prober.spi.ProberProvider;
import io.rttpick.prober.spi.ProberUnavailableException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Until the native prober lands, the provider must load everywhere and never claim to work. */
class DarwinKqueueProberProviderTest {
    @Test
    void loadsOnAnyOsAndIsFoundByServiceLoader() {
        Probers probers = Probers.load();
        assertTrue(probers.candidates().stream().anyMatch(c -> c.name().equals("darwin-kqueue")), probers.report());
    }

    @Test
    void saysItIsUnavailableAndWhy() {
        ProberProvider p = new DarwinKqueueProberProvider();
        assertEquals("darwin-kqueue", p.name());
        assertTrue(p.isNative());
        assertFalse(p.isAvailable());
        assertTrue(p.unavailabilityCause().orElseThrow().getMessage().contains("not part of this build"));
        ProberUnavailableException e = assertThrows(ProberUnavailableException.class, p::create);
        assertTrue(e.getMessage().startsWith("prober 'darwin-kqueue' is unavailable: "), e.getMessage());
        assertThrows(ProberUnavailableException.class, () -> Probers.load().choose(Optional.of("darwin-kqueue")));
    }
}

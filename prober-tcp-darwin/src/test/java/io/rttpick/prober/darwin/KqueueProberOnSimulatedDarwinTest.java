package io.rttpick.prober.darwin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.prober.Handshake;
import io.rttpick.prober.Outcome;
import io.rttpick.prober.RttSample;
import io.rttpick.prober.spi.ProberProvider;
import io.rttpick.prober.testing.ProberContractTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The whole darwin-kqueue prober (event loop, transport, outcome mapping) through the contract
 * suite, on Linux, over the simulated Darwin system calls. What this does not show: that the
 * JNR bindings work on a real Mac (nothing here ran on one).
 */
class KqueueProberOnSimulatedDarwinTest extends ProberContractTest {
    private final List<SimulatedDarwin> systems = new ArrayList<>();

    @Override
    protected ProberProvider provider() {
        return new DarwinKqueueProberProvider(() -> {
            SimulatedDarwin system = new SimulatedDarwin();
            systems.add(system);
            return system;
        }, null);
    }

    @Override
    protected Handshake expectedHandshake() {
        return Handshake.COMPLETED;
    }

    @AfterEach
    void theSystemCallsWereUsedByTheRules() {
        if (prober != null) {
            prober.close();
        }
        for (SimulatedDarwin system : systems) {
            assertEquals(List.of(), system.misuses());
            assertEquals(0, system.openDescriptors(), "descriptors left open");
        }
    }

    @Test
    void everySampleSaysHowItWasTimedAndThatTheHandshakeCompleted() throws Exception {
        RttSample s = probeOne(servers.open(), options(Duration.ofSeconds(2)));
        assertEquals(Outcome.OK, s.outcome());
        assertEquals(Handshake.COMPLETED, s.handshake());
        assertTrue(s.details().containsKey(RttSample.Details.TIMING_NOTE), s.details().toString());
        assertTrue(s.details().containsKey(RttSample.Details.USERSPACE_RTT_MICROS));
        assertTrue(s.details().containsKey(KqueueTransport.DETAIL_KERNEL_RTTCUR_MILLIS));
    }
}

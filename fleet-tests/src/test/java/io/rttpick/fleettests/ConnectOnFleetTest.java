package io.rttpick.fleettests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rttpick.prober.Handshake;
import io.rttpick.prober.RttSample;
import io.rttpick.prober.Timing;
import io.rttpick.prober.connect.ConnectProberProvider;
import io.rttpick.prober.spi.ProberProvider;

class ConnectOnFleetTest extends FleetProberTest {
    @Override
    ProberProvider provider() {
        return new ConnectProberProvider();
    }

    @Override
    Handshake handshake() {
        return Handshake.COMPLETED;
    }

    @Override
    void checkRetransmission(RttSample s) {
        // java.nio cannot see retransmissions: the time simply includes the wait
        assertEquals(Timing.USERSPACE, s.timing().orElseThrow());
    }
}

package io.rttpick.fleettests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rttpick.prober.Handshake;
import io.rttpick.prober.RttSample;
import io.rttpick.prober.Timing;
import io.rttpick.prober.linux.LinuxEpollProberProvider;
import io.rttpick.prober.spi.ProberProvider;

class LinuxEpollOnFleetTest extends FleetProberTest {
    @Override
    ProberProvider provider() {
        return new LinuxEpollProberProvider();
    }

    @Override
    Handshake handshake() {
        return Handshake.HALF_OPEN;
    }

    @Override
    void checkRetransmission(RttSample s) {
        // the kernel takes no RTT sample after a retransmission (Karn): user-space time, flagged
        assertEquals(true, s.details().get(RttSample.Details.SYN_RETRANSMITTED), s.details().toString());
        assertEquals(Timing.USERSPACE, s.timing().orElseThrow());
    }
}

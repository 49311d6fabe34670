package io.rttpick.fleettests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.prober.Handshake;
import io.rttpick.prober.Outcome;
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

    @Override
    void checkRefusedByRst(RttSample s) {
        assertEquals("RST", s.details().get(RttSample.Details.ERROR_SOURCE), s.details().toString());
        assertEquals("Connection refused (RST from the server)", s.error().orElseThrow());
    }

    @Override
    void checkRefusedByIcmp(RttSample s, String what) {
        // IP_RECVERR's error queue tells an ICMP error from an RST, and who sent it
        assertEquals("ICMP", s.details().get(RttSample.Details.ERROR_SOURCE), s.details().toString());
        String icmp = String.valueOf(s.details().get(RttSample.Details.ICMP));
        assertTrue(icmp.endsWith(what), icmp);
        assertTrue(s.error().orElseThrow().contains(what), s.toString());
    }

    @Override
    void checkProhibited(RttSample s, String what) {
        // Linux says EHOSTUNREACH; the queued ICMP shows it was a filter
        assertEquals(Outcome.PERMISSION_DENIED, s.outcome(), s.toString());
        assertTrue(s.error().orElseThrow().contains(what), s.toString());
    }
}

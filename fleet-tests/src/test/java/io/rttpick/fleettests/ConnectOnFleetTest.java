package io.rttpick.fleettests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rttpick.prober.Handshake;
import io.rttpick.prober.Outcome;
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
        return Handshake.HALF_OPEN; // TCP_QUICKACK off through jdk.net on this Linux JDK
    }

    @Override
    void checkRetransmission(RttSample s) {
        // java.nio cannot see retransmissions: the time simply includes the wait
        assertEquals(Timing.USERSPACE, s.timing().orElseThrow());
    }

    @Override
    void checkRefusedByRst(RttSample s) {
        // java.nio says "Connection refused" and no more: who refused is not known
        assertEquals(null, s.details().get(RttSample.Details.ERROR_SOURCE));
    }

    @Override
    void checkRefusedByIcmp(RttSample s, String what) {
        assertEquals(null, s.details().get(RttSample.Details.ICMP));
    }

    @Override
    void checkProhibited(RttSample s, String what) {
        // java.nio sees EHOSTUNREACH only: it cannot tell a filter from a missing host
        assertEquals(Outcome.UNREACHABLE, s.outcome(), s.toString());
    }
}

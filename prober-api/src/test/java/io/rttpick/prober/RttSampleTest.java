package io.rttpick.prober;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RttSampleTest {
    @Test
    void okSampleHasRttAndTimingButNoError() {
        RttSample s = RttSample.builder(3, "a:1").ok(1234, Timing.KERNEL, Handshake.HALF_OPEN)
                .startedAt(Instant.EPOCH).prober("x").detail(RttSample.Details.SYN_RETRANSMITTED, false).build();
        assertEquals(1234, s.rttMicros().getAsLong());
        assertEquals(Timing.KERNEL, s.timing().orElseThrow());
        assertFalse(s.error().isPresent());
        assertEquals(false, s.details().get(RttSample.Details.SYN_RETRANSMITTED));
        assertEquals(1_234_000, s.rtt().orElseThrow().toNanos());
    }

    @Test
    void aCopyUnderAnotherIndexKeepsEveryOtherField() {
        RttSample s = RttSample.builder(3, "a:1").attempt(7).ok(1234, Timing.USERSPACE, Handshake.COMPLETED)
                .startedAt(Instant.ofEpochSecond(5)).prober("x").detail(RttSample.Details.SYN_RETRANSMITTED, true).build();
        RttSample c = s.copyAs(0, 1).build();
        assertEquals(0, c.index());
        assertEquals(1, c.attempt());
        assertEquals(s.toString(), c.toString());
        assertEquals(s.details(), c.details());
        assertEquals(s.startedAt(), c.startedAt());
        RttSample f = RttSample.builder(1, "b:2").failed(Outcome.TIMEOUT, "tcp check timeout: I/O timeout")
                .startedAt(Instant.EPOCH).prober("x").build().copyAs(4, 0).build();
        assertEquals("b:2 TIMEOUT (tcp check timeout: I/O timeout)", f.toString());
        assertEquals(4, f.index());
    }

    @Test
    void failedSampleNeedsAnErrorAndHasNoRtt() {
        assertThrows(IllegalArgumentException.class, () -> RttSample.builder(0, "a:1")
                .failed(Outcome.TIMEOUT, "").startedAt(Instant.EPOCH).prober("x").build());
        RttSample s = RttSample.builder(0, "a:1").failed(Outcome.REFUSED, "Connection refused")
                .startedAt(Instant.EPOCH).prober("x").build();
        assertFalse(s.rttMicros().isPresent());
        assertFalse(s.timing().isPresent());
        assertEquals(Handshake.NONE, s.handshake());
    }

    @Test
    void ipv6IsFormattedInBrackets() throws Exception {
        assertEquals("[::1]:443", SocketAddresses.format(new InetSocketAddress(java.net.InetAddress.getByName("::1"), 443)));
        assertEquals("[2001:db8::1:0:0:1]:1", SocketAddresses.format(new InetSocketAddress(java.net.InetAddress.getByName("2001:db8:0:0:1:0:0:1"), 1)));
        assertEquals("[2001:db8:0:1:1:1:1:1]:1", SocketAddresses.format(new InetSocketAddress(java.net.InetAddress.getByName("2001:db8:0:1:1:1:1:1"), 1)));
        assertEquals("[::]:1", SocketAddresses.format(new InetSocketAddress(java.net.InetAddress.getByName("::"), 1)));
        assertEquals("[fe80::]:1", SocketAddresses.format(new InetSocketAddress(java.net.InetAddress.getByName("fe80::"), 1)));
        assertEquals("127.0.0.1:80", SocketAddresses.format(new InetSocketAddress(java.net.InetAddress.getByName("127.0.0.1"), 80)));
    }

    @Test
    void theDetailsSeveralProbersFillAreReadTypedAndStayInTheMapByTheirNames() {
        RttSample s = RttSample.builder(0, "a.example:1").ok(1_500, Timing.KERNEL, Handshake.HALF_OPEN)
                .startedAt(java.time.Instant.EPOCH).prober("t")
                .detail(RttSample.Details.USERSPACE_RTT_MICROS, 1_530L).detail(RttSample.Details.SYN_RETRANSMITTED, true)
                .detail(RttSample.Details.REUSED_SOCKET, true).detail(RttSample.Details.TIMING_NOTE, "why").build();
        assertEquals(1_530, s.userspaceRttMicros().getAsLong());
        assertTrue(s.synRetransmitted());
        assertTrue(s.reusedSocket());
        assertEquals("why", s.timingNote().orElseThrow());
        assertTrue(s.errorSource().isEmpty());
        assertEquals(1_530L, s.details().get("userspaceRttMicros"), "the JSON names stay");
        RttSample bare = RttSample.builder(0, "a.example:1").ok(1, Timing.USERSPACE, Handshake.COMPLETED)
                .startedAt(java.time.Instant.EPOCH).prober("t").build();
        assertTrue(bare.userspaceRttMicros().isEmpty());
        assertEquals(false, bare.synRetransmitted());
    }
}

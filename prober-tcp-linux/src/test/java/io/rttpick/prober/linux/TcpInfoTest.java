package io.rttpick.prober.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.prober.Handshake;
import io.rttpick.prober.RttSample;
import io.rttpick.prober.Timing;
import io.rttpick.prober.spi.AttemptResult;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.junit.jupiter.api.Test;

class TcpInfoTest {
    private static final long MS = 1_000_000;

    /** A tcp_info as the kernel fills it: eight u8, then u32s; tcpi_rtt is the 16th u32, total_retrans the 24th. */
    private static Pointer buffer(long rttMicros, long totalRetrans) {
        Pointer p = Runtime.getSystemRuntime().getMemoryManager().allocateDirect(TcpInfo.BUFFER_SIZE, true);
        p.putInt(8 + 15 * 4, (int) rttMicros);
        p.putInt(8 + 23 * 4, (int) totalRetrans);
        return p;
    }

    @Test
    void offsetsFollowTheHeader() {
        assertEquals(8 + 15 * 4, TcpInfo.RTT_OFFSET);
        assertEquals(8 + 23 * 4, TcpInfo.TOTAL_RETRANS_OFFSET);
    }

    @Test
    void kernelRttIsUsedWhenTheSynWentOnce() {
        TcpInfo info = TcpInfo.read(buffer(29_000, 0), 232);
        AttemptResult r = EpollTransport.okResult(info, 0, 31 * MS, 31 * MS + 50_000);
        assertEquals(29_000, r.rttMicros());
        assertEquals(Timing.KERNEL, r.timing());
        assertEquals(Handshake.HALF_OPEN, r.handshake());
        assertEquals(31_000L, r.details().get(RttSample.Details.USERSPACE_RTT_MICROS));
        assertEquals(false, r.details().get(RttSample.Details.SYN_RETRANSMITTED));
    }

    @Test
    void aRetransmittedSynFallsBackToUserspaceAndSaysSo() {
        TcpInfo info = TcpInfo.read(buffer(0, 1), 232);
        AttemptResult r = EpollTransport.okResult(info, 0, 1_029 * MS, 1_029 * MS);
        assertEquals(1_029_000, r.rttMicros());
        assertEquals(Timing.USERSPACE, r.timing());
        assertEquals(true, r.details().get(RttSample.Details.SYN_RETRANSMITTED));
        assertTrue(((String) r.details().get(RttSample.Details.TIMING_NOTE)).contains("Karn"));
    }

    @Test
    void aShortTcpInfoFallsBackToUserspace() {
        // qemu-user passes 4 bytes
        TcpInfo info = TcpInfo.read(buffer(29_000, 0), 4);
        assertFalse(info.hasRtt());
        assertFalse(info.knowsRetransmissions());
        AttemptResult r = EpollTransport.okResult(info, 0, 30 * MS, 30 * MS);
        assertEquals(Timing.USERSPACE, r.timing());
        assertEquals(30_000, r.rttMicros());
        assertFalse(r.details().containsKey(RttSample.Details.SYN_RETRANSMITTED));
        assertTrue(((String) r.details().get(RttSample.Details.TIMING_NOTE)).contains("4 bytes"));
    }

    @Test
    void aLateCloseDoesNotClaimHalfOpen() {
        TcpInfo info = TcpInfo.read(buffer(10_000, 0), 232);
        AttemptResult r = EpollTransport.okResult(info, 0, 10 * MS, 10 * MS + 180 * MS);
        assertEquals(Handshake.COMPLETED, r.handshake());
        assertEquals(180_000L, r.details().get(EpollTransport.DETAIL_CLOSED_AFTER_ANSWER_MICROS));
    }
}

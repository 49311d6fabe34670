package io.rttpick.prober.darwin;

import jnr.ffi.Pointer;

/**
 * What the prober reads of Darwin's {@code struct tcp_connection_info} (netinet/tcp.h, 112
 * bytes on arm64 and x86_64): tcpi_rttcur (most recent RTT, ms) at 40, tcpi_srtt (smoothed, ms)
 * at 44, tcpi_txretransmitpackets (uint64, 8-aligned) at 104. Offsets as in XNU's header, and as
 * cgo -godefs prints them for that header (github.com/mikioh/tcpinfo, zsys_darwin.go).
 */
final class TcpConnectionInfo {
    static final int SIZE = 112;
    static final int RTTCUR_OFFSET = 40;
    static final int SRTT_OFFSET = 44;
    static final int TX_RETRANSMIT_PACKETS_OFFSET = 104;

    /** Bytes the kernel filled. */
    final int length;
    final int rttCurMillis;
    final int srttMillis;
    final long txRetransmitPackets;

    TcpConnectionInfo(int length, int rttCurMillis, int srttMillis, long txRetransmitPackets) {
        this.length = length;
        this.rttCurMillis = rttCurMillis;
        this.srttMillis = srttMillis;
        this.txRetransmitPackets = txRetransmitPackets;
    }

    static TcpConnectionInfo read(Pointer p, int length) {
        int rttcur = length >= RTTCUR_OFFSET + 4 ? p.getInt(RTTCUR_OFFSET) : 0;
        int srtt = length >= SRTT_OFFSET + 4 ? p.getInt(SRTT_OFFSET) : 0;
        long retrans = length >= TX_RETRANSMIT_PACKETS_OFFSET + 8 ? p.getLong(TX_RETRANSMIT_PACKETS_OFFSET) : 0;
        return new TcpConnectionInfo(length, rttcur, srtt, retrans);
    }

    boolean hasRtt() {
        return length >= RTTCUR_OFFSET + 4;
    }
}

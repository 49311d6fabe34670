package io.rttpick.prober.linux;

import jnr.ffi.Pointer;

/**
 * The two fields of {@code struct tcp_info} (uapi linux/tcp.h) the prober reads. All its fields
 * before these are fixed-size (eight u8, then u32s), so the offsets are the same on every
 * architecture; only the length the kernel returns varies (old kernels, qemu-user: shorter).
 */
final class TcpInfo {
    /** {@code __u32 tcpi_rtt}: smoothed RTT in microseconds; after a handshake, its one sample. */
    static final int RTT_OFFSET = 68;
    /** {@code __u32 tcpi_total_retrans}: retransmissions, the SYN's included. */
    static final int TOTAL_RETRANS_OFFSET = 100;
    /** Enough for every field up to {@code tcpi_total_retrans} and more; the kernel truncates to this. */
    static final int BUFFER_SIZE = 256;

    final int length;
    final long rttMicros;
    final long totalRetrans;

    private TcpInfo(int length, long rttMicros, long totalRetrans) {
        this.length = length;
        this.rttMicros = rttMicros;
        this.totalRetrans = totalRetrans;
    }

    static TcpInfo read(Pointer buffer, int length) {
        long rtt = length >= RTT_OFFSET + 4 ? buffer.getInt(RTT_OFFSET) & 0xffffffffL : -1;
        long retrans = length >= TOTAL_RETRANS_OFFSET + 4 ? buffer.getInt(TOTAL_RETRANS_OFFSET) & 0xffffffffL : -1;
        return new TcpInfo(length, rtt, retrans);
    }

    boolean hasRtt() {
        return rttMicros >= 0;
    }

    boolean knowsRetransmissions() {
        return totalRetrans >= 0;
    }
}

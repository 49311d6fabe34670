package io.rttpick.prober.icmp;

import jnr.ffi.Pointer;

/**
 * ICMP and ICMPv6 echo messages as a ping socket sends and receives them: no IP header, the
 * identifier chosen by the kernel (it writes the socket's own over ours, and delivers only
 * replies that carry it), the checksum computed by the kernel. What we pick is the sequence
 * number, which a reply must carry back.
 */
final class EchoPacket {
    static final int HEADER = 8;
    /** Our payload: a marker, so that a reply is recognisably an answer to rttpick. */
    static final byte[] PAYLOAD = {'r', 't', 't', 'p', 'i', 'c', 'k', 0};
    static final int LENGTH = HEADER + PAYLOAD.length;

    private EchoPacket() {
    }

    /** Writes an echo request with {@code sequence}; returns its length. */
    static int writeRequest(Pointer p, boolean v6, int sequence) {
        p.putByte(0, (byte) (v6 ? IcmpConstants.ICMPV6_ECHO_REQUEST : IcmpConstants.ICMP_ECHO_REQUEST));
        p.putByte(1, (byte) 0);
        p.putShort(2, (short) 0); // checksum: the kernel's
        p.putShort(4, (short) 0); // identifier: the kernel's
        p.putByte(6, (byte) (sequence >>> 8));
        p.putByte(7, (byte) sequence);
        p.put(HEADER, PAYLOAD, 0, PAYLOAD.length);
        return LENGTH;
    }

    /** True when the {@code length} bytes at {@code p} are an echo reply carrying {@code sequence}. */
    static boolean isReplyTo(Pointer p, long length, boolean v6, int sequence) {
        if (length < HEADER) {
            return false;
        }
        int type = p.getByte(0) & 0xff;
        int seq = ((p.getByte(6) & 0xff) << 8) | (p.getByte(7) & 0xff);
        return type == (v6 ? IcmpConstants.ICMPV6_ECHO_REPLY : IcmpConstants.ICMP_ECHO_REPLY) && seq == (sequence & 0xffff);
    }
}

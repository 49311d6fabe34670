package io.rttpick.prober.icmp;

import jnr.ffi.Pointer;

/**
 * {@code struct msghdr} with one {@code iovec} and a control buffer, laid out for LP64 Linux
 * (x86_64 and aarch64 alike): msghdr is name (ptr) 0, namelen (u32) 8, iov (ptr) 16, iovlen
 * (size_t) 24, control (ptr) 32, controllen (size_t) 40, flags (int) 48, 56 bytes; iovec is
 * base 0, len 8; a cmsghdr is len (size_t) 0, level (int) 8, type (int) 12, data at 16, each
 * aligned to 8. Reused for every receive (event-loop thread only).
 */
final class MsgHdr {
    static final int SIZE = 56;
    static final int IOVEC_SIZE = 16;
    static final int CMSG_HEADER = 16;
    static final int DATA_SIZE = 1500;
    static final int CONTROL_SIZE = 256;

    final Pointer msghdr;
    final Pointer iovec;
    final Pointer data;
    final Pointer control;

    MsgHdr(Pointer msghdr, Pointer iovec, Pointer data, Pointer control) {
        this.msghdr = msghdr;
        this.iovec = iovec;
        this.data = data;
        this.control = control;
    }

    static MsgHdr allocate() {
        return new MsgHdr(IcmpNative.allocate(SIZE), IcmpNative.allocate(IOVEC_SIZE),
                IcmpNative.allocate(DATA_SIZE), IcmpNative.allocate(CONTROL_SIZE));
    }

    /** Resets the header for the next recvmsg: the kernel writes the lengths back. */
    void reset() {
        iovec.putAddress(0, data.address());
        iovec.putLong(8, DATA_SIZE);
        msghdr.putAddress(0, 0L);
        msghdr.putInt(8, 0);
        msghdr.putInt(12, 0);
        msghdr.putAddress(16, iovec.address());
        msghdr.putLong(24, 1);
        msghdr.putAddress(32, control.address());
        msghdr.putLong(40, CONTROL_SIZE);
        msghdr.putInt(48, 0);
    }

    /** The SCM_TIMESTAMPNS time (CLOCK_REALTIME nanoseconds) among the control messages, or -1. */
    long receiveTimestampNanos() {
        long controlLength = msghdr.getLong(40);
        long at = 0;
        while (at + CMSG_HEADER <= controlLength) {
            long length = control.getLong(at);
            if (length < CMSG_HEADER || at + length > controlLength) {
                return -1; // malformed: trust nothing after it
            }
            int level = control.getInt(at + 8);
            int type = control.getInt(at + 12);
            if (level == IcmpConstants.SOL_SOCKET && type == IcmpConstants.SCM_TIMESTAMPNS && length >= CMSG_HEADER + 16) {
                return control.getLong(at + CMSG_HEADER) * 1_000_000_000L + control.getLong(at + CMSG_HEADER + 8);
            }
            at += (length + 7) & ~7L;
        }
        return -1;
    }
}

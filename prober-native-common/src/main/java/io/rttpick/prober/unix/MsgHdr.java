package io.rttpick.prober.unix;

import jnr.ffi.Pointer;

/**
 * {@code struct msghdr} with one {@code iovec} and a control buffer, for recvmsg, laid out for
 * LP64 (Linux and Darwin alike on x86_64 and aarch64): msghdr is name (ptr) 0, namelen (u32) 8,
 * iov (ptr) 16, iovlen 24, control (ptr) 32, controllen 40, flags (int) 48, 56 bytes; iovec is
 * base 0, len 8; a Linux cmsghdr is len (size_t) 0, level (int) 8, type (int) 12, data at 16,
 * each aligned to 8. Reused for every receive (event-loop thread only).
 */
public final class MsgHdr {
    public static final int SIZE = 56;
    public static final int IOVEC_SIZE = 16;
    public static final int CMSG_HEADER = 16;

    public final Pointer msghdr;
    public final Pointer iovec;
    public final Pointer data;
    public final Pointer control;
    private final int dataSize;
    private final int controlSize;

    /** Its buffers come from (and go with) {@code arena}. */
    public MsgHdr(NativeArena arena, int dataSize, int controlSize) {
        this.msghdr = arena.allocate(SIZE);
        this.iovec = arena.allocate(IOVEC_SIZE);
        this.data = arena.allocate(dataSize);
        this.control = arena.allocate(controlSize);
        this.dataSize = dataSize;
        this.controlSize = controlSize;
    }

    /** Resets the header for the next recvmsg: the kernel writes the lengths back. */
    public MsgHdr reset() {
        iovec.putAddress(0, data.address());
        iovec.putLong(8, dataSize);
        msghdr.putAddress(0, 0L);
        msghdr.putInt(8, 0);
        msghdr.putInt(12, 0);
        msghdr.putAddress(16, iovec.address());
        msghdr.putLong(24, 1);
        msghdr.putAddress(32, control.address());
        msghdr.putLong(40, controlSize);
        msghdr.putInt(48, 0);
        return this;
    }

    /** The control messages' length the kernel wrote back. */
    public long controlLength() {
        return msghdr.getLong(40);
    }

    /** Where the data of the control message {@code level} / {@code type} starts in {@link #control}, or -1. */
    public long findControl(int level, int type, int minDataLength) {
        return findControl(control, controlLength(), level, type, minDataLength);
    }

    /**
     * Where the data of the first control message {@code level} / {@code type} with at least
     * {@code minDataLength} bytes starts among {@code length} bytes at {@code control}; -1 when
     * there is none, or after a malformed length (nothing after it is trusted).
     */
    public static long findControl(Pointer control, long length, int level, int type, int minDataLength) {
        long at = 0;
        while (at + CMSG_HEADER <= length) {
            long cmsgLength = control.getLong(at);
            if (cmsgLength < CMSG_HEADER || at + cmsgLength > length) {
                return -1;
            }
            if (control.getInt(at + 8) == level && control.getInt(at + 12) == type
                    && cmsgLength >= CMSG_HEADER + minDataLength) {
                return at + CMSG_HEADER;
            }
            at += (cmsgLength + 7) & ~7L;
        }
        return -1;
    }
}

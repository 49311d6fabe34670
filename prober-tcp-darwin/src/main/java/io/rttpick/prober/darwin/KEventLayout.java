package io.rttpick.prober.darwin;

import jnr.ffi.Pointer;

/**
 * {@code struct kevent} on 64-bit Darwin (arm64 and x86_64 alike, both LP64 little-endian):
 * ident (uintptr_t) at 0, filter (int16) at 8, flags (uint16) at 10, fflags (uint32) at 12,
 * data (intptr_t) at 16, udata (void *) at 24; 32 bytes. (The 64-bit {@code kevent64_s} is
 * another struct; we call plain {@code kevent}.) 32-bit Darwin is not supported.
 */
final class KEventLayout {
    static final int SIZE = 32;
    /** Darwin's, on both 64-bit CPUs. */
    static final KEventLayout DARWIN_64 = new KEventLayout(SIZE);
    static final int IDENT = 0;
    static final int FILTER = 8;
    static final int FLAGS = 10;
    static final int FFLAGS = 12;
    static final int DATA = 16;
    static final int UDATA = 24;

    /** The stride of one struct in an array: {@link #SIZE}, or another on purpose (the canary's tests). */
    final int size;

    KEventLayout(int size) {
        this.size = size;
    }

    /** The layout for a CPU as os.arch names it; 64-bit CPUs only. */
    static void checkSupported(String arch) {
        switch (arch) {
            case "aarch64":
            case "arm64":
            case "x86_64":
            case "amd64":
                return;
            default:
                throw new io.rttpick.prober.ProberUnavailableException("struct kevent layout unknown for CPU '" + arch
                        + "': darwin-kqueue supports 64-bit arm64 and x86_64");
        }
    }

    void write(Pointer p, int index, KEvent e) {
        long at = (long) index * size;
        p.putLong(at + IDENT, e.ident);
        p.putShort(at + FILTER, e.filter);
        p.putShort(at + FLAGS, (short) e.flags);
        p.putInt(at + FFLAGS, e.fflags);
        p.putLong(at + DATA, e.data);
        p.putLong(at + UDATA, e.udata);
    }

    void read(Pointer p, int index, KEvent e) {
        long at = (long) index * size;
        e.ident = p.getLong(at + IDENT);
        e.filter = p.getShort(at + FILTER);
        e.flags = p.getShort(at + FLAGS) & 0xffff;
        e.fflags = p.getInt(at + FFLAGS);
        e.data = p.getLong(at + DATA);
        e.udata = p.getLong(at + UDATA);
    }
}

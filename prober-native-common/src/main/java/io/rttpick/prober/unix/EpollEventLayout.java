package io.rttpick.prober.unix;

import java.util.Locale;
import jnr.ffi.Pointer;

/**
 * {@code struct epoll_event { uint32_t events; epoll_data_t data; }}: the kernel declares it
 * packed on x86 (12 bytes, data at offset 4) but not elsewhere, where the 64-bit data is
 * aligned (16 bytes, data at offset 8; aarch64, riscv64, ...). A mapping right on one is silently
 * wrong on the other (on arm64 a packed read returns fd 0), so the layout is chosen here, once.
 */
public final class EpollEventLayout {
    public static final EpollEventLayout PACKED = new EpollEventLayout("packed (x86)", 12, 4);
    public static final EpollEventLayout ALIGNED = new EpollEventLayout("aligned", 16, 8);

    final String name;
    public final int size;
    public final int dataOffset;

    private EpollEventLayout(String name, int size, int dataOffset) {
        this.name = name;
        this.size = size;
        this.dataOffset = dataOffset;
    }

    /** The layout for a JVM {@code os.arch}. */
    public static EpollEventLayout forArch(String osArch) {
        String arch = osArch.toLowerCase(Locale.ROOT);
        boolean x86 = arch.equals("amd64") || arch.equals("x86_64") || arch.equals("x86")
                || arch.equals("i386") || arch.equals("i486") || arch.equals("i586") || arch.equals("i686");
        return x86 ? PACKED : ALIGNED;
    }

    public static EpollEventLayout current() {
        return forArch(System.getProperty("os.arch", ""));
    }

    public void put(Pointer events, int index, int mask, int fd) {
        long at = (long) index * size;
        events.putInt(at, mask);
        events.putLong(at + dataOffset, fd & 0xffffffffL);
    }

    public int events(Pointer events, int index) {
        return events.getInt((long) index * size);
    }

    public int fd(Pointer events, int index) {
        return (int) events.getLong((long) index * size + dataOffset);
    }

    @Override
    public String toString() {
        return name + " " + size + " bytes, data at " + dataOffset;
    }
}

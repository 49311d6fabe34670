package io.rttpick.fleet.tun;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/** A TUN device (raw IP, no packet information), attached by name through /dev/net/tun. */
final class TunDevice implements AutoCloseable {
    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 02000000;
    /** _IOW('T', 202, int), linux/if_tun.h */
    private static final long TUNSETIFF = 0x400454caL;
    private static final short IFF_TUN = 0x0001;
    private static final short IFF_NO_PI = 0x1000;
    private static final short POLLIN = 0x001;
    private static final int EINTR = 4;

    /** libc for the TUN device; public because JNR implements it in its own class loader. */
    public interface LibC {
        @SaveError
        int open(String path, int flags);

        @SaveError
        int ioctl(int fd, long request, @In @Out Pointer argument);

        @SaveError
        @ssize_t long read(int fd, @Out Pointer buffer, @size_t long count);

        @SaveError
        @ssize_t long write(int fd, @In Pointer buffer, @size_t long count);

        @SaveError
        int poll(@In @Out Pointer fds, long count, int timeoutMillis);

        int close(int fd);

        String strerror(int errno);
    }

    private static final LibC C = LibraryLoader.create(LibC.class).failImmediately().load("libc.so.6");
    private static final Runtime RUNTIME = Runtime.getRuntime(C);

    private final int fd;
    private final String name;
    private final Pointer readBuffer = Memory.allocateDirect(RUNTIME, 65536);
    private final Pointer pollFd = Memory.allocateDirect(RUNTIME, 8);
    private final Pointer writeBuffer = Memory.allocateDirect(RUNTIME, 65536);

    TunDevice(String name) throws IOException {
        this.name = name;
        int f = C.open("/dev/net/tun", O_RDWR | O_CLOEXEC);
        if (f < 0) {
            throw failure("open /dev/net/tun");
        }
        Pointer ifreq = Memory.allocateDirect(RUNTIME, 40, true);
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        ifreq.put(0, n, 0, Math.min(n.length, 15));
        ifreq.putShort(16, (short) (IFF_TUN | IFF_NO_PI));
        if (C.ioctl(f, TUNSETIFF, ifreq) < 0) {
            IOException e = failure("ioctl(TUNSETIFF, " + name + ")");
            C.close(f);
            throw e;
        }
        this.fd = f;
    }

    private IOException failure(String what) {
        int errno = LastError.getLastError(RUNTIME);
        return new IOException(what + " failed: " + C.strerror(errno) + " (errno " + errno + ")");
    }

    /**
     * Reads one packet into {@code into}, waiting at most {@code timeoutMillis}; returns its
     * length, or 0 when none came. The fleet's thread only.
     */
    int read(byte[] into, int timeoutMillis) throws IOException {
        pollFd.putInt(0, fd);
        pollFd.putShort(4, POLLIN);
        pollFd.putShort(6, (short) 0);
        int ready = C.poll(pollFd, 1, timeoutMillis);
        if (ready < 0) {
            if (LastError.getLastError(RUNTIME) == EINTR) {
                return 0;
            }
            throw failure("poll(" + name + ")");
        }
        if (ready == 0) {
            return 0;
        }
        long n = C.read(fd, readBuffer, into.length);
        if (n < 0) {
            throw failure("read(" + name + ")");
        }
        readBuffer.get(0, into, 0, (int) n);
        return (int) n;
    }

    /** Writes one packet. The fleet's thread only. */
    void write(byte[] packet) throws IOException {
        writeBuffer.put(0, packet, 0, packet.length);
        long n = C.write(fd, writeBuffer, packet.length);
        if (n != packet.length) {
            throw failure("write(" + name + ")");
        }
    }

    @Override
    public void close() {
        C.close(fd);
    }
}

package io.rttpick.prober.linux;

import static io.rttpick.prober.linux.LinuxConstants.EAGAIN;
import static io.rttpick.prober.linux.LinuxConstants.EINPROGRESS;
import static io.rttpick.prober.linux.LinuxConstants.EINTR;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * The prober's only door to libc. Each wrapper checks the return value and turns -1 + errno
 * into a {@link NativeCallException}; {@code EINTR} is retried where retrying is right.
 * Loaded on first use, so that the classes load on any OS.
 */
final class Native {
    /** By soname: a search by name may pick another architecture's libc where multiarch is installed. */
    static final String LIBC_SONAME = "libc.so.6";

    private Native() {
    }

    private static final class Lib {
        static final LibC C = LibraryLoader.create(LibC.class).option(LibraryOption.SaveError, true)
                .failImmediately().load(LIBC_SONAME);
        static final Runtime RUNTIME = Runtime.getRuntime(C);
    }

    /** Loads libc; throws what went wrong. */
    static void load() {
        if (Lib.C == null) {
            throw new IllegalStateException("cannot load " + LIBC_SONAME);
        }
    }

    /** {@code size} zeroed bytes of native memory; the caller frees them (see {@link NativeArena}). */
    static long calloc(int size) {
        long address = Lib.C.calloc(1, size);
        if (address == 0) {
            throw new OutOfMemoryError("calloc(" + size + ") failed");
        }
        return address;
    }

    static void free(long address) {
        Lib.C.free(address);
    }

    static Pointer wrap(long address) {
        return Pointer.wrap(Lib.RUNTIME, address);
    }

    private static NativeCallException failure(String call) {
        int errno = LastError.getLastError(Lib.RUNTIME);
        return new NativeCallException(call, errno, strerror(errno));
    }

    /** libc's texts, kept: a refused probe should not cost a native call and a new String each. */
    private static final String[] STRERROR = new String[512];

    static String strerror(int errno) {
        if (errno >= 0 && errno < STRERROR.length) {
            String known = STRERROR[errno];
            if (known == null) {
                known = text(errno); // a benign race: every thread computes the same text
                STRERROR[errno] = known;
            }
            return known;
        }
        return text(errno);
    }

    private static String text(int errno) {
        long text = Lib.C.strerror(errno);
        return text == 0 ? "errno " + errno : wrap(text).getString(0);
    }

    static int socket(int family) throws NativeCallException {
        int fd = Lib.C.socket(family, LinuxConstants.SOCK_STREAM | LinuxConstants.SOCK_NONBLOCK | LinuxConstants.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw failure("socket");
        }
        return fd;
    }

    static void setIntOption(int fd, int level, int option, int value, Pointer scratch, String name)
            throws NativeCallException {
        scratch.putInt(0, value);
        if (Lib.C.setsockopt(fd, level, option, scratch.address(), 4) < 0) {
            throw failure("setsockopt(" + name + ")");
        }
    }

    /** SO_LINGER {on, 0}: close() sends RST and leaves no TIME_WAIT. */
    static void setLingerZero(int fd, Pointer scratch) throws NativeCallException {
        scratch.putInt(0, 1);
        scratch.putInt(4, 0);
        if (Lib.C.setsockopt(fd, LinuxConstants.SOL_SOCKET, LinuxConstants.SO_LINGER, scratch.address(), 8) < 0) {
            throw failure("setsockopt(SO_LINGER)");
        }
    }

    static void bind(int fd, Pointer address, int length) throws NativeCallException {
        if (Lib.C.bind(fd, address.address(), length) < 0) {
            throw failure("bind");
        }
    }

    /**
     * Starts a non-blocking connect. EINPROGRESS is the normal answer; EINTR means the same on
     * Linux (the connect goes on in the background). Returns normally in both cases.
     */
    static void connect(int fd, Pointer address, int length) throws NativeCallException {
        if (Lib.C.connect(fd, address.address(), length) < 0) {
            int errno = LastError.getLastError(Lib.RUNTIME);
            if (errno != EINPROGRESS && errno != EINTR) {
                throw new NativeCallException("connect", errno, strerror(errno));
            }
        }
    }

    /**
     * {@code connect(AF_UNSPEC)}: drops the socket's connection (an established one with RST, as
     * a close with SO_LINGER 0 would) and leaves it unconnected, free to connect again.
     * {@code unspec} holds a zeroed sockaddr of {@code length} bytes.
     */
    static void disconnect(int fd, Pointer unspec, int length) throws NativeCallException {
        if (Lib.C.connect(fd, unspec.address(), length) < 0) {
            throw failure("connect(AF_UNSPEC)");
        }
    }

    /**
     * SO_ERROR: 0, or the errno the connect ended with. {@code length} is 4 bytes of native
     * memory for the option's length: a heap int would cost JNR a copy in and out per call.
     */
    static int socketError(int fd, Pointer scratch, Pointer length) throws NativeCallException {
        length.putInt(0, 4);
        if (Lib.C.getsockopt(fd, LinuxConstants.SOL_SOCKET, LinuxConstants.SO_ERROR, scratch.address(), length.address()) < 0) {
            throw failure("getsockopt(SO_ERROR)");
        }
        return scratch.getInt(0);
    }

    /** TCP_INFO into {@code buffer}; returns the length the kernel filled (see {@link #socketError}). */
    static int tcpInfo(int fd, Pointer buffer, int size, Pointer length) throws NativeCallException {
        length.putInt(0, size);
        if (Lib.C.getsockopt(fd, LinuxConstants.SOL_TCP, LinuxConstants.TCP_INFO, buffer.address(), length.address()) < 0) {
            throw failure("getsockopt(TCP_INFO)");
        }
        return length.getInt(0);
    }

    /** recvmsg(MSG_ERRQUEUE | MSG_DONTWAIT): bytes read, or -errno (EAGAIN when the queue is empty). */
    static long recvErrorQueue(int fd, Pointer msghdr) {
        long n;
        while ((n = Lib.C.recvmsg(fd, msghdr.address(), LinuxConstants.MSG_ERRQUEUE | LinuxConstants.MSG_DONTWAIT)) < 0
                && LastError.getLastError(Lib.RUNTIME) == EINTR) {
            // interrupted before anything was read: read again
        }
        return n < 0 ? -LastError.getLastError(Lib.RUNTIME) : n;
    }

    /**
     * Closes {@code fd}. Never retried: on Linux the descriptor is released even when close
     * reports EINTR, and a retry could close a descriptor another thread just got.
     */
    static void close(int fd) throws NativeCallException {
        if (Lib.C.close(fd) < 0) {
            NativeCallException e = failure("close");
            if (e.errno() != EINTR) {
                throw e;
            }
        }
    }

    static int epollCreate() throws NativeCallException {
        int fd = Lib.C.epoll_create1(LinuxConstants.EPOLL_CLOEXEC);
        if (fd < 0) {
            throw failure("epoll_create1");
        }
        return fd;
    }

    static void epollAdd(int epfd, int fd, int events, Pointer eventBuffer, EpollEventLayout layout)
            throws NativeCallException {
        layout.put(eventBuffer, 0, events, fd);
        if (Lib.C.epoll_ctl(epfd, LinuxConstants.EPOLL_CTL_ADD, fd, eventBuffer.address()) < 0) {
            throw failure("epoll_ctl(ADD)");
        }
    }

    /** Arms a registered {@code fd} again for {@code events} (after EPOLLONESHOT reported it). */
    static void epollRearm(int epfd, int fd, int events, Pointer eventBuffer, EpollEventLayout layout)
            throws NativeCallException {
        layout.put(eventBuffer, 0, events, fd);
        if (Lib.C.epoll_ctl(epfd, LinuxConstants.EPOLL_CTL_MOD, fd, eventBuffer.address()) < 0) {
            throw failure("epoll_ctl(MOD)");
        }
    }

    /** Ready events, 0 when the wait was interrupted by a signal. */
    static int epollWait(int epfd, Pointer events, int maxEvents, int timeoutMillis) throws NativeCallException {
        int n = Lib.C.epoll_wait(epfd, events.address(), maxEvents, timeoutMillis);
        if (n < 0) {
            NativeCallException e = failure("epoll_wait");
            if (e.errno() == EINTR) {
                return 0;
            }
            throw e;
        }
        return n;
    }

    static int eventfd() throws NativeCallException {
        int fd = Lib.C.eventfd(0, LinuxConstants.EFD_CLOEXEC | LinuxConstants.EFD_NONBLOCK);
        if (fd < 0) {
            throw failure("eventfd");
        }
        return fd;
    }

    /** Adds to the counter in {@code one} (8 bytes holding 1); a full counter already wakes the loop. */
    static void eventfdSignal(int fd, Pointer one) throws NativeCallException {
        retryingEintr("write(eventfd)", () -> Lib.C.write(fd, one.address(), 8));
    }

    /** Resets the counter; nothing to read is fine. */
    static void eventfdDrain(int fd, Pointer scratch) throws NativeCallException {
        retryingEintr("read(eventfd)", () -> Lib.C.read(fd, scratch.address(), 8));
    }

    /** An eventfd read or write: EINTR is retried, EAGAIN (nothing to do) is fine. */
    private static void retryingEintr(String call, java.util.function.LongSupplier io) throws NativeCallException {
        while (io.getAsLong() < 0) {
            NativeCallException e = failure(call);
            if (e.errno() == EAGAIN) {
                return;
            }
            if (e.errno() != EINTR) {
                throw e;
            }
        }
    }
}

package io.rttpick.prober.unix;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * The native probers' only door to libc. Each wrapper checks the return value and turns -1 +
 * errno into a {@link NativeCallException} (no stack trace: these are thrown on the hot path);
 * {@code EINTR} is retried where retrying is right, and said where it is not. Loaded on first use,
 * so that the classes load on any OS; {@link #load} says why it cannot be.
 */
public final class Native {
    private static final UnixSystem SYSTEM = UnixSystem.current();

    private Native() {
    }

    private static final class Lib {
        static final LibC C = LibraryLoader.create(LibC.class).option(LibraryOption.SaveError, true)
                .load(SYSTEM == null ? UnixSystem.LINUX.libraryName : SYSTEM.libraryName);
        static final Runtime RUNTIME = Runtime.getRuntime(C);
    }

    /** Loads libc; throws what went wrong (on a system that is neither Linux nor macOS, says which it is). */
    public static void load() {
        if (SYSTEM == null) {
            throw new IllegalStateException("neither Linux nor macOS: " + System.getProperty("os.name"));
        }
        if (Lib.C == null) {
            throw new IllegalStateException("cannot load " + SYSTEM.libraryName);
        }
    }

    /** The system this JVM runs on (Linux or Darwin); null on any other. */
    public static UnixSystem system() {
        return SYSTEM;
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

    static Pointer wrap(long address, long size) {
        return Pointer.wrap(Lib.RUNTIME, address, size);
    }

    /** The errno the last call on this thread left. */
    static int lastErrno() {
        return LastError.getLastError(Lib.RUNTIME);
    }

    /** The failure of {@code call}, with the errno it left. */
    public static NativeCallException failure(String call) {
        return failure(call, lastErrno());
    }

    public static NativeCallException failure(String call, int errno) {
        return new NativeCallException(call, errno, SYSTEM.errnoName(errno), strerror(errno));
    }

    /** libc's texts, kept: a refused probe should not cost a native call and a new String each. */
    private static final String[] STRERROR = new String[512];

    public static String strerror(int errno) {
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

    public static int socket(int domain, int type, int protocol, String name) throws NativeCallException {
        int fd = Lib.C.socket(domain, type, protocol);
        if (fd < 0) {
            throw failure(name);
        }
        return fd;
    }

    /** setsockopt with an int value, through {@code scratch} (4 bytes or more). */
    public static void setIntOption(int fd, int level, int option, int value, Pointer scratch, String name)
            throws NativeCallException {
        scratch.putInt(0, value);
        if (Lib.C.setsockopt(fd, level, option, scratch.address(), 4) < 0) {
            throw failure("setsockopt(" + name + ")");
        }
    }

    /** SO_LINGER {on, 0}: close() sends RST and leaves no TIME_WAIT. {@code scratch}: 8 bytes or more. */
    public static void setLingerZero(int fd, Pointer scratch) throws NativeCallException {
        // struct linger { int l_onoff; int l_linger; }
        scratch.putInt(0, 1);
        scratch.putInt(4, 0);
        if (Lib.C.setsockopt(fd, SYSTEM.solSocket, SYSTEM.soLinger, scratch.address(), 8) < 0) {
            throw failure("setsockopt(SO_LINGER)");
        }
    }

    /**
     * getsockopt into {@code buffer}; returns the length the kernel filled. {@code length} is 4 bytes
     * of native memory for the option's length: a heap int would cost JNR a copy in and out per call.
     */
    public static int getOption(int fd, int level, int option, Pointer buffer, int size, Pointer length, String name)
            throws NativeCallException {
        length.putInt(0, size);
        if (Lib.C.getsockopt(fd, level, option, buffer.address(), length.address()) < 0) {
            throw failure("getsockopt(" + name + ")");
        }
        return length.getInt(0);
    }

    /** SO_ERROR: 0, or the errno the connect ended with (reading it clears it). */
    public static int socketError(int fd, Pointer scratch, Pointer length) throws NativeCallException {
        getOption(fd, SYSTEM.solSocket, SYSTEM.soError, scratch, 4, length, "SO_ERROR");
        return scratch.getInt(0);
    }

    public static void bind(int fd, Pointer address, int length) throws NativeCallException {
        if (Lib.C.bind(fd, address.address(), length) < 0) {
            throw failure("bind");
        }
    }

    /**
     * Starts a connect: true when it completed at once, false when it goes on in the background.
     * EINPROGRESS is the normal answer on a non-blocking socket; EINTR means the same (connect(2):
     * the connect goes on asynchronously), so it is never retried.
     */
    public static boolean connect(int fd, Pointer address, int length) throws NativeCallException {
        if (Lib.C.connect(fd, address.address(), length) == 0) {
            return true;
        }
        int errno = lastErrno();
        if (SYSTEM.isInProgress(errno) || SYSTEM.isInterrupted(errno)) {
            return false;
        }
        throw failure("connect", errno);
    }

    /**
     * {@code connect(AF_UNSPEC)}: drops the socket's connection (an established one with RST, as
     * a close with SO_LINGER 0 would) and leaves it unconnected, free to connect again (Linux).
     * {@code unspec} holds a zeroed sockaddr of {@code length} bytes.
     */
    public static void disconnect(int fd, Pointer unspec, int length) throws NativeCallException {
        if (Lib.C.connect(fd, unspec.address(), length) < 0) {
            throw failure("connect(AF_UNSPEC)");
        }
    }

    /** Sends a datagram; EINTR (nothing sent yet) is retried. */
    public static void send(int fd, Pointer buffer, int length, int flags) throws NativeCallException {
        while (Lib.C.send(fd, buffer.address(), length, flags) < 0) {
            int errno = lastErrno();
            if (!SYSTEM.isInterrupted(errno)) {
                throw failure("send", errno);
            }
        }
    }

    /** read: bytes read, or -errno (EAGAIN when nothing waits on a non-blocking fd). EINTR is retried. */
    public static long read(int fd, Pointer buffer, int length) {
        long n;
        while ((n = Lib.C.read(fd, buffer.address(), length)) < 0 && SYSTEM.isInterrupted(lastErrno())) {
            // interrupted before anything was read: read again
        }
        return n < 0 ? -lastErrno() : n;
    }

    /** recvmsg: bytes read, or -errno (EAGAIN when nothing waits). EINTR (nothing read yet) is retried. */
    public static long recvmsg(int fd, Pointer msghdr, int flags) {
        long n;
        while ((n = Lib.C.recvmsg(fd, msghdr.address(), flags)) < 0 && SYSTEM.isInterrupted(lastErrno())) {
            // interrupted before anything was read: read again
        }
        return n < 0 ? -lastErrno() : n;
    }

    /** clock_gettime in nanoseconds, through {@code timespec} (16 bytes: time_t seconds, long nanoseconds on LP64). */
    public static long clockNanos(int clock, Pointer timespec) throws NativeCallException {
        if (Lib.C.clock_gettime(clock, timespec.address()) < 0) {
            throw failure("clock_gettime");
        }
        return timespec.getLong(0) * 1_000_000_000L + timespec.getLong(8);
    }

    /**
     * Closes {@code fd}. Never retried, and EINTR is not an error: the descriptor is released even
     * when close reports it (Linux; Darwin's close$NOCANCEL is what libc's close is), and a retry
     * could close a descriptor another thread just got.
     */
    public static void close(int fd) throws NativeCallException {
        if (Lib.C.close(fd) < 0) {
            int errno = lastErrno();
            if (!SYSTEM.isInterrupted(errno)) {
                throw failure("close", errno);
            }
        }
    }

    /** Closes {@code fd}, logging a failure: EBADF would mean a double close, a bug worth a loud log, never a silent one. */
    public static void closeQuietly(int fd) {
        try {
            close(fd);
        } catch (NativeCallException e) {
            org.slf4j.LoggerFactory.getLogger(Native.class).error("close({}) failed", fd, e);
        }
    }

    // Linux: epoll and eventfd

    public static int epollCreate(int flags) throws NativeCallException {
        int fd = Lib.C.epoll_create1(flags);
        if (fd < 0) {
            throw failure("epoll_create1");
        }
        return fd;
    }

    public static void epollCtl(int epfd, int op, int fd, Pointer event, String name) throws NativeCallException {
        if (Lib.C.epoll_ctl(epfd, op, fd, event.address()) < 0) {
            throw failure(name);
        }
    }

    /** Ready events, 0 when the wait was interrupted by a signal. */
    public static int epollWait(int epfd, Pointer events, int maxEvents, int timeoutMillis) throws NativeCallException {
        int n = Lib.C.epoll_wait(epfd, events.address(), maxEvents, timeoutMillis);
        if (n < 0) {
            int errno = lastErrno();
            if (SYSTEM.isInterrupted(errno)) {
                return 0;
            }
            throw failure("epoll_wait", errno);
        }
        return n;
    }

    public static int eventfd(int flags) throws NativeCallException {
        int fd = Lib.C.eventfd(0, flags);
        if (fd < 0) {
            throw failure("eventfd");
        }
        return fd;
    }

    /** Adds to the counter in {@code one} (8 bytes holding 1); a full counter already wakes the loop. */
    public static void eventfdSignal(int fd, Pointer one) throws NativeCallException {
        while (Lib.C.write(fd, one.address(), 8) < 0 && retryEventfd("write(eventfd)")) {
            // interrupted: write again
        }
    }

    /** Resets the counter; nothing to read is fine. */
    public static void eventfdDrain(int fd, Pointer scratch) throws NativeCallException {
        while (Lib.C.read(fd, scratch.address(), 8) < 0 && retryEventfd("read(eventfd)")) {
            // interrupted: read again
        }
    }

    /** After an eventfd read or write failed: true to retry (EINTR), false when done (EAGAIN: nothing to do). */
    private static boolean retryEventfd(String call) throws NativeCallException {
        int errno = lastErrno();
        if (SYSTEM.isWouldBlock(errno)) {
            return false;
        }
        if (SYSTEM.isInterrupted(errno)) {
            return true;
        }
        throw failure(call, errno);
    }

    // Darwin: fcntl and kqueue

    /** fcntl with an int argument; EINTR is retried. */
    public static int fcntl(int fd, int cmd, int arg, String name) throws NativeCallException {
        int value;
        while ((value = Lib.C.fcntl(fd, cmd, arg)) < 0) {
            int errno = lastErrno();
            if (!SYSTEM.isInterrupted(errno)) {
                throw failure(name, errno);
            }
        }
        return value;
    }

    public static int kqueue() throws NativeCallException {
        int kq = Lib.C.kqueue();
        if (kq < 0) {
            throw failure("kqueue");
        }
        return kq;
    }

    /**
     * kevent: applies {@code nchanges} changes, then waits for at most {@code nevents} events
     * ({@code timeout}: a timespec, or null to wait until one comes). EINTR is retried when
     * {@code retryInterrupted}; otherwise it is thrown like any failure.
     */
    public static int kevent(int kq, Pointer changes, int nchanges, Pointer events, int nevents, Pointer timeout,
            boolean retryInterrupted, String name) throws NativeCallException {
        int n;
        while ((n = Lib.C.kevent(kq, changes == null ? 0 : changes.address(), nchanges,
                events == null ? 0 : events.address(), nevents, timeout == null ? 0 : timeout.address())) < 0) {
            int errno = lastErrno();
            if (!retryInterrupted || !SYSTEM.isInterrupted(errno)) {
                throw failure(name, errno);
            }
        }
        return n;
    }
}

package io.rttpick.prober.darwin;

import java.net.InetSocketAddress;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.byref.IntByReference;

/**
 * {@link DarwinSystem} on macOS, through JNR: every return value checked, errno read at once,
 * EINTR retried where retrying is sound (not for connect, which goes on in the background, nor
 * for close, after which the descriptor is gone either way).
 */
final class JnrDarwinSystem implements DarwinSystem {
    private static final KEventLayout LAYOUT = KEventLayout.DARWIN_64;
    private final DarwinLibC libc;
    private final Runtime runtime;
    // event-loop thread only
    private final Pointer sockaddr;
    private final Pointer option;
    private final Pointer info;
    private Pointer changeBuffer;
    private Pointer eventBuffer;
    private final Pointer timespec;
    // the wakeup comes from other threads: its own buffer, guarded by itself
    private final Pointer wakeBuffer;
    private final Pointer zeroTimeout;

    JnrDarwinSystem() {
        this.libc = LibraryLoader.create(DarwinLibC.class).load("c");
        this.runtime = Runtime.getRuntime(libc);
        this.sockaddr = Memory.allocateDirect(runtime, BsdSockAddr.MAX_SIZE);
        this.option = Memory.allocateDirect(runtime, 8);
        this.info = Memory.allocateDirect(runtime, TcpConnectionInfo.SIZE);
        this.changeBuffer = Memory.allocateDirect(runtime, KEventLayout.SIZE * 4);
        this.eventBuffer = Memory.allocateDirect(runtime, KEventLayout.SIZE * 4);
        this.timespec = Memory.allocateDirect(runtime, 16);
        this.wakeBuffer = Memory.allocateDirect(runtime, KEventLayout.SIZE);
        this.zeroTimeout = Memory.allocateDirect(runtime, 16);
        zeroTimeout.putLong(0, 0);
        zeroTimeout.putLong(8, 0);
    }

    private DarwinCallException failure(String call) {
        int errno = runtime.getLastError();
        return new DarwinCallException(call, errno, strerror(errno));
    }

    @Override
    public int socket(int family) throws DarwinCallException {
        int fd = libc.socket(family, DarwinConstants.SOCK_STREAM, DarwinConstants.IPPROTO_TCP);
        if (fd < 0) {
            throw failure("socket");
        }
        return fd;
    }

    @Override
    public void setNonBlocking(int fd) throws DarwinCallException {
        int flags;
        while ((flags = libc.fcntl(fd, DarwinConstants.F_GETFL, 0)) < 0) {
            if (runtime.getLastError() != DarwinConstants.EINTR) {
                throw failure("fcntl(F_GETFL)");
            }
        }
        while (libc.fcntl(fd, DarwinConstants.F_SETFL, flags | DarwinConstants.O_NONBLOCK) < 0) {
            if (runtime.getLastError() != DarwinConstants.EINTR) {
                throw failure("fcntl(F_SETFL, O_NONBLOCK)");
            }
        }
    }

    @Override
    public void setIntOption(int fd, int level, int opt, int value, String name) throws DarwinCallException {
        option.putInt(0, value);
        if (libc.setsockopt(fd, level, opt, option, 4) < 0) {
            throw failure("setsockopt(" + name + ")");
        }
    }

    @Override
    public void setLingerZero(int fd) throws DarwinCallException {
        // struct linger { int l_onoff; int l_linger; }
        option.putInt(0, 1);
        option.putInt(4, 0);
        if (libc.setsockopt(fd, DarwinConstants.SOL_SOCKET, DarwinConstants.SO_LINGER, option, 8) < 0) {
            throw failure("setsockopt(SO_LINGER)");
        }
    }

    @Override
    public void bind(int fd, InetSocketAddress local) throws DarwinCallException {
        int length = BsdSockAddr.write(sockaddr, local);
        if (libc.bind(fd, sockaddr, length) < 0) {
            throw failure("bind");
        }
    }

    @Override
    public boolean connect(int fd, InetSocketAddress target) throws DarwinCallException {
        int length = BsdSockAddr.write(sockaddr, target);
        if (libc.connect(fd, sockaddr, length) == 0) {
            return true;
        }
        int errno = runtime.getLastError();
        // EINTR: the connect goes on asynchronously, like EINPROGRESS (connect(2))
        if (errno == DarwinConstants.EINPROGRESS || errno == DarwinConstants.EINTR) {
            return false;
        }
        throw new DarwinCallException("connect", errno, strerror(errno));
    }

    @Override
    public int socketError(int fd) throws DarwinCallException {
        IntByReference length = new IntByReference(4);
        if (libc.getsockopt(fd, DarwinConstants.SOL_SOCKET, DarwinConstants.SO_ERROR, option, length) < 0) {
            throw failure("getsockopt(SO_ERROR)");
        }
        return option.getInt(0);
    }

    @Override
    public TcpConnectionInfo connectionInfo(int fd) throws DarwinCallException {
        IntByReference length = new IntByReference(TcpConnectionInfo.SIZE);
        if (libc.getsockopt(fd, DarwinConstants.IPPROTO_TCP, DarwinConstants.TCP_CONNECTION_INFO, info, length) < 0) {
            throw failure("getsockopt(TCP_CONNECTION_INFO)");
        }
        return TcpConnectionInfo.read(info, length.intValue());
    }

    @Override
    public void close(int fd) throws DarwinCallException {
        if (libc.close(fd) < 0) {
            throw failure("close");
        }
    }

    @Override
    public int kqueue() throws DarwinCallException {
        int kq = libc.kqueue();
        if (kq < 0) {
            throw failure("kqueue");
        }
        return kq;
    }

    @Override
    public int kevent(int kq, KEvent[] changes, int nchanges, KEvent[] out, long timeoutNanos) throws DarwinCallException {
        if (out.length == 0) {
            return applyOnly(kq, changes, nchanges);
        }
        if (changeBuffer.size() < (long) nchanges * KEventLayout.SIZE) {
            changeBuffer = Memory.allocateDirect(runtime, nchanges * KEventLayout.SIZE);
        }
        if (eventBuffer.size() < (long) out.length * KEventLayout.SIZE) {
            eventBuffer = Memory.allocateDirect(runtime, out.length * KEventLayout.SIZE);
        }
        for (int i = 0; i < nchanges; i++) {
            LAYOUT.write(changeBuffer, i, changes[i]);
        }
        Pointer timeout = null;
        if (timeoutNanos >= 0) {
            // struct timespec { time_t tv_sec; long tv_nsec; }: 16 bytes on LP64
            timespec.putLong(0, timeoutNanos / 1_000_000_000L);
            timespec.putLong(8, timeoutNanos % 1_000_000_000L);
            timeout = timespec;
        }
        int n = libc.kevent(kq, nchanges == 0 ? null : changeBuffer, nchanges, eventBuffer, out.length, timeout);
        if (n < 0) {
            throw failure("kevent");
        }
        for (int i = 0; i < n; i++) {
            LAYOUT.read(eventBuffer, i, out[i]);
        }
        return n;
    }

    /** Registrations and the wakeup: no events wanted, no wait; any thread. */
    private int applyOnly(int kq, KEvent[] changes, int nchanges) throws DarwinCallException {
        synchronized (wakeBuffer) {
            for (int i = 0; i < nchanges; i++) {
                LAYOUT.write(wakeBuffer, 0, changes[i]);
                int n;
                while ((n = libc.kevent(kq, wakeBuffer, 1, null, 0, zeroTimeout)) < 0 && runtime.getLastError() == DarwinConstants.EINTR) {
                    // interrupted before the change was applied: apply it again
                }
                if (n < 0) {
                    throw failure("kevent(change)");
                }
            }
            return 0;
        }
    }

    @Override
    public String strerror(int errno) {
        return libc.strerror(errno);
    }
}

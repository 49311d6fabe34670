package io.rttpick.prober.darwin;

import io.rttpick.prober.unix.Native;
import io.rttpick.prober.unix.NativeArena;
import io.rttpick.prober.unix.NativeCallException;
import io.rttpick.prober.unix.SockAddr;
import io.rttpick.prober.unix.UnixSystem;
import java.net.InetSocketAddress;
import jnr.ffi.Pointer;

/**
 * {@link DarwinSystem} on macOS, over the shared native layer: every return value checked, errno
 * read at once, EINTR retried where retrying is sound (not for connect, which goes on in the
 * background, nor for close, after which the descriptor is gone either way). Its buffers come
 * from an arena of its own, freed by {@link #release}.
 */
final class JnrDarwinSystem implements DarwinSystem {
    private static final KEventLayout LAYOUT = KEventLayout.DARWIN_64;
    private final NativeArena arena = new NativeArena();
    // event-loop thread only
    private final Pointer sockaddr;
    private final Pointer option;
    private final Pointer optionLength;
    private final Pointer info;
    private Pointer changeBuffer;
    private Pointer eventBuffer;
    private final Pointer timespec;
    // the wakeup comes from other threads: its own buffer, guarded by itself
    private final Pointer wakeBuffer;
    private final Pointer zeroTimeout;

    JnrDarwinSystem() {
        Native.load();
        this.sockaddr = arena.allocate(SockAddr.MAX_SIZE);
        this.option = arena.allocate(8);
        this.optionLength = arena.allocate(4);
        this.info = arena.allocate(TcpConnectionInfo.SIZE);
        this.changeBuffer = arena.allocate(KEventLayout.SIZE * 4);
        this.eventBuffer = arena.allocate(KEventLayout.SIZE * 4);
        this.timespec = arena.allocate(16);
        this.wakeBuffer = arena.allocate(KEventLayout.SIZE);
        this.zeroTimeout = arena.allocate(16);
    }

    @Override
    public int socket(int family) throws NativeCallException {
        return Native.socket(family, DarwinConstants.SOCK_STREAM, DarwinConstants.IPPROTO_TCP, "socket");
    }

    @Override
    public void setNonBlocking(int fd) throws NativeCallException {
        int flags = Native.fcntl(fd, DarwinConstants.F_GETFL, 0, "fcntl(F_GETFL)");
        Native.fcntl(fd, DarwinConstants.F_SETFL, flags | DarwinConstants.O_NONBLOCK, "fcntl(F_SETFL, O_NONBLOCK)");
    }

    @Override
    public void setIntOption(int fd, int level, int opt, int value, String name) throws NativeCallException {
        Native.setIntOption(fd, level, opt, value, option, name);
    }

    @Override
    public void setLingerZero(int fd) throws NativeCallException {
        Native.setLingerZero(fd, option);
    }

    @Override
    public void bind(int fd, InetSocketAddress local) throws NativeCallException {
        Native.bind(fd, sockaddr, SockAddr.Layout.BSD.write(sockaddr, local, UnixSystem.DARWIN));
    }

    @Override
    public boolean connect(int fd, InetSocketAddress target) throws NativeCallException {
        return Native.connect(fd, sockaddr, SockAddr.Layout.BSD.write(sockaddr, target, UnixSystem.DARWIN));
    }

    @Override
    public int socketError(int fd) throws NativeCallException {
        return Native.socketError(fd, option, optionLength);
    }

    @Override
    public TcpConnectionInfo connectionInfo(int fd) throws NativeCallException {
        int length = Native.getOption(fd, DarwinConstants.IPPROTO_TCP, DarwinConstants.TCP_CONNECTION_INFO, info,
                TcpConnectionInfo.SIZE, optionLength, "TCP_CONNECTION_INFO");
        return TcpConnectionInfo.read(info, length);
    }

    @Override
    public void close(int fd) throws NativeCallException {
        Native.close(fd);
    }

    @Override
    public int kqueue() throws NativeCallException {
        return Native.kqueue();
    }

    @Override
    public int kevent(int kq, KEvent[] changes, int nchanges, KEvent[] out, long timeoutNanos) throws NativeCallException {
        if (out.length == 0) {
            return applyOnly(kq, changes, nchanges);
        }
        changeBuffer = arena.atLeast(changeBuffer, (long) nchanges * KEventLayout.SIZE);
        eventBuffer = arena.atLeast(eventBuffer, (long) out.length * KEventLayout.SIZE);
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
        int n = Native.kevent(kq, nchanges == 0 ? null : changeBuffer, nchanges, eventBuffer, out.length, timeout,
                false, "kevent");
        for (int i = 0; i < n; i++) {
            LAYOUT.read(eventBuffer, i, out[i]);
        }
        return n;
    }

    /** Registrations and the wakeup: no events wanted, no wait; any thread. */
    private int applyOnly(int kq, KEvent[] changes, int nchanges) throws NativeCallException {
        synchronized (wakeBuffer) {
            for (int i = 0; i < nchanges; i++) {
                LAYOUT.write(wakeBuffer, 0, changes[i]);
                // interrupted before the change was applied: apply it again
                Native.kevent(kq, wakeBuffer, 1, null, 0, zeroTimeout, true, "kevent(change)");
            }
            return 0;
        }
    }

    @Override
    public String strerror(int errno) {
        return Native.strerror(errno);
    }

    @Override
    public void release() {
        synchronized (wakeBuffer) {
            arena.close();
        }
    }
}

package io.rttpick.prober.icmp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * The calls, checked: every -1 becomes an {@link IcmpCallException} with its errno, EINTR is
 * retried where that is sound. One instance per transport; not thread-safe but for
 * {@link #signal}.
 */
final class IcmpNative {
    // by its soname: a bare "c" can find a libc of another architecture where multiarch packages are installed
    private static final IcmpLibC LIBC = LibraryLoader.create(IcmpLibC.class).failImmediately().load("libc.so.6");
    private static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

    private final Pointer sockaddr = allocate(28);
    private final Pointer option = allocate(8);
    private final Pointer timespec = allocate(16);
    private final Pointer counter = allocate(8);
    private final Pointer one = allocate(8);

    IcmpNative() {
        one.putLong(0, 1);
    }

    static Pointer allocate(int size) {
        return Memory.allocateDirect(RUNTIME, size);
    }

    static String strerror(int errno) {
        return LIBC.strerror(errno);
    }

    private static IcmpCallException failure(String call) {
        int errno = RUNTIME.getLastError();
        return new IcmpCallException(call, errno, strerror(errno));
    }

    static int family(InetAddress address) {
        return address instanceof Inet6Address ? IcmpConstants.AF_INET6 : IcmpConstants.AF_INET;
    }

    /** An unprivileged ICMP (or ICMPv6) echo socket, non-blocking. */
    int echoSocket(int family) throws IcmpCallException {
        int protocol = family == IcmpConstants.AF_INET6 ? IcmpConstants.IPPROTO_ICMPV6 : IcmpConstants.IPPROTO_ICMP;
        int fd = LIBC.socket(family, IcmpConstants.SOCK_DGRAM | IcmpConstants.SOCK_NONBLOCK | IcmpConstants.SOCK_CLOEXEC, protocol);
        if (fd < 0) {
            throw failure("socket(SOCK_DGRAM, " + (protocol == IcmpConstants.IPPROTO_ICMP ? "IPPROTO_ICMP" : "IPPROTO_ICMPV6") + ")");
        }
        return fd;
    }

    void enableReceiveTimestamps(int fd) throws IcmpCallException {
        option.putInt(0, 1);
        if (LIBC.setsockopt(fd, IcmpConstants.SOL_SOCKET, IcmpConstants.SO_TIMESTAMPNS, option, 4) < 0) {
            throw failure("setsockopt(SO_TIMESTAMPNS)");
        }
    }

    /**
     * IP_RECVERR / IPV6_RECVERR: without it a ping socket reports only "hard" ICMP errors (port
     * unreachable) and silently drops host and net unreachable, which then look like a timeout.
     */
    void enableErrorReports(int fd, boolean v6) throws IcmpCallException {
        option.putInt(0, 1);
        int level = v6 ? IcmpConstants.SOL_IPV6 : IcmpConstants.SOL_IP;
        int name = v6 ? IcmpConstants.IPV6_RECVERR : IcmpConstants.IP_RECVERR;
        if (LIBC.setsockopt(fd, level, name, option, 4) < 0) {
            throw failure(v6 ? "setsockopt(IPV6_RECVERR)" : "setsockopt(IP_RECVERR)");
        }
    }

    void bind(int fd, InetAddress local) throws IcmpCallException {
        if (LIBC.bind(fd, sockaddr, writeSockaddr(new InetSocketAddress(local, 0))) < 0) {
            throw failure("bind");
        }
    }

    /** Connects the datagram socket: the kernel then delivers that peer's replies and its ICMP errors only. */
    void connect(int fd, InetAddress target) throws IcmpCallException {
        if (LIBC.connect(fd, sockaddr, writeSockaddr(new InetSocketAddress(target, 0))) < 0) {
            throw failure("connect");
        }
    }

    void send(int fd, Pointer packet, int length) throws IcmpCallException {
        long n;
        while ((n = LIBC.send(fd, packet, length, 0)) < 0 && RUNTIME.getLastError() == IcmpConstants.EINTR) {
            // interrupted before anything was sent: send again
        }
        if (n < 0) {
            throw failure("send");
        }
    }

    /** Bytes received, or -errno (the socket's pending ICMP error, say). Never blocks. */
    long recvmsg(int fd, Pointer msghdr) {
        long n;
        while ((n = LIBC.recvmsg(fd, msghdr, IcmpConstants.MSG_DONTWAIT)) < 0 && RUNTIME.getLastError() == IcmpConstants.EINTR) {
            // retry
        }
        return n < 0 ? -RUNTIME.getLastError() : n;
    }

    /** poll(2); 0 on EINTR (the caller's loop waits again). */
    int poll(Pointer fds, int count, int timeoutMillis) throws IcmpCallException {
        int n = LIBC.poll(fds, count, timeoutMillis);
        if (n < 0) {
            if (RUNTIME.getLastError() == IcmpConstants.EINTR) {
                return 0;
            }
            throw failure("poll");
        }
        return n;
    }

    /** CLOCK_REALTIME, the clock SO_TIMESTAMPNS stamps with, in nanoseconds. */
    long realtimeNanos() throws IcmpCallException {
        if (LIBC.clock_gettime(IcmpConstants.CLOCK_REALTIME, timespec) < 0) {
            throw failure("clock_gettime");
        }
        return timespec.getLong(0) * 1_000_000_000L + timespec.getLong(8);
    }

    int eventfd() throws IcmpCallException {
        int fd = LIBC.eventfd(0, IcmpConstants.EFD_NONBLOCK | IcmpConstants.EFD_CLOEXEC);
        if (fd < 0) {
            throw failure("eventfd");
        }
        return fd;
    }

    void signal(int eventfd) throws IcmpCallException {
        synchronized (one) {
            if (LIBC.write(eventfd, one, 8) < 0 && RUNTIME.getLastError() != IcmpConstants.EAGAIN) {
                throw failure("write(eventfd)");
            }
        }
    }

    void drain(int eventfd) throws IcmpCallException {
        if (LIBC.read(eventfd, counter, 8) < 0 && RUNTIME.getLastError() != IcmpConstants.EAGAIN) {
            throw failure("read(eventfd)");
        }
    }

    void close(int fd) throws IcmpCallException {
        if (LIBC.close(fd) < 0) {
            throw failure("close");
        }
    }

    /** sockaddr_in / sockaddr_in6 as Linux lays them out (two-byte family, port and address in network order). */
    private int writeSockaddr(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        int size = ip instanceof Inet4Address ? 16 : 28;
        for (int i = 0; i < size; i++) {
            sockaddr.putByte(i, (byte) 0);
        }
        sockaddr.putShort(0, (short) family(ip));
        sockaddr.putByte(2, (byte) (address.getPort() >>> 8));
        sockaddr.putByte(3, (byte) address.getPort());
        if (ip instanceof Inet4Address) {
            sockaddr.put(4, ip.getAddress(), 0, 4);
        } else {
            sockaddr.put(8, ip.getAddress(), 0, 16);
            sockaddr.putInt(24, ((Inet6Address) ip).getScopeId());
        }
        return size;
    }
}

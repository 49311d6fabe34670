package io.rttpick.prober.icmp;

import io.rttpick.prober.unix.LinuxSocketConstants;
import io.rttpick.prober.unix.Native;
import io.rttpick.prober.unix.NativeArena;
import io.rttpick.prober.unix.NativeCallException;
import io.rttpick.prober.unix.SockAddr;
import io.rttpick.prober.unix.UnixSystem;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import jnr.ffi.Pointer;

/**
 * The ping-socket calls, over the shared native layer, with the small buffers they pass; those
 * come from (and go with) the owner's arena. Event-loop thread only.
 */
final class IcmpNative {
    private final Pointer sockaddr;
    private final Pointer option;
    private final Pointer timespec;

    IcmpNative(NativeArena arena) {
        this.sockaddr = arena.allocate(SockAddr.MAX_SIZE);
        this.option = arena.allocate(8);
        this.timespec = arena.allocate(16);
    }

    static int family(InetAddress address) {
        return UnixSystem.LINUX.family(address);
    }

    /** An unprivileged ICMP (or ICMPv6) echo socket, non-blocking. */
    static int echoSocket(int family) throws NativeCallException {
        boolean v6 = family == LinuxSocketConstants.AF_INET6;
        return Native.socket(family, IcmpConstants.SOCK_DGRAM | LinuxSocketConstants.SOCK_NONBLOCK | LinuxSocketConstants.SOCK_CLOEXEC,
                v6 ? IcmpConstants.IPPROTO_ICMPV6 : IcmpConstants.IPPROTO_ICMP,
                v6 ? "socket(SOCK_DGRAM, IPPROTO_ICMPV6)" : "socket(SOCK_DGRAM, IPPROTO_ICMP)");
    }

    void enableReceiveTimestamps(int fd) throws NativeCallException {
        Native.setIntOption(fd, LinuxSocketConstants.SOL_SOCKET, IcmpConstants.SO_TIMESTAMPNS, 1, option, "SO_TIMESTAMPNS");
    }

    /**
     * IP_RECVERR / IPV6_RECVERR: without it a ping socket reports only "hard" ICMP errors (port
     * unreachable) and silently drops host and net unreachable, which then look like a timeout.
     */
    void enableErrorReports(int fd, boolean v6) throws NativeCallException {
        Native.setIntOption(fd, v6 ? LinuxSocketConstants.SOL_IPV6 : LinuxSocketConstants.SOL_IP,
                v6 ? LinuxSocketConstants.IPV6_RECVERR : LinuxSocketConstants.IP_RECVERR, 1, option, v6 ? "IPV6_RECVERR" : "IP_RECVERR");
    }

    void bind(int fd, InetAddress local) throws NativeCallException {
        Native.bind(fd, sockaddr, SockAddr.write(sockaddr, new InetSocketAddress(local, 0)));
    }

    /** Connects the datagram socket: the kernel then delivers that peer's replies and its ICMP errors only. */
    void connect(int fd, InetAddress target) throws NativeCallException {
        if (!Native.connect(fd, sockaddr, SockAddr.write(sockaddr, new InetSocketAddress(target, 0)))) {
            throw new IllegalStateException("a datagram connect went on in the background");
        }
    }

    /** CLOCK_REALTIME, the clock SO_TIMESTAMPNS stamps with, in nanoseconds. */
    long realtimeNanos() throws NativeCallException {
        return Native.clockNanos(IcmpConstants.CLOCK_REALTIME, timespec);
    }
}

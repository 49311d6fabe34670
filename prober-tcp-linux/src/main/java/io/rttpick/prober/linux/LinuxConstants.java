package io.rttpick.prober.linux;

import io.rttpick.prober.unix.Epoll;
import io.rttpick.prober.unix.UnixSystem;
import jnr.constants.platform.linux.Errno;
import jnr.constants.platform.linux.Sock;
import jnr.constants.platform.linux.SocketLevel;
import jnr.constants.platform.linux.SocketOption;
import jnr.constants.platform.linux.TCP;

/**
 * The TCP prober's own constants for the kernel (those it shares with the ICMP prober are
 * {@link io.rttpick.prober.unix.LinuxSocketConstants}). Values come from jnr-constants' tables,
 * generated from real Linux headers, never typed by hand; the few it lacks name their header.
 * These values are the same on x86_64 and aarch64 (asm-generic), which a test checks against
 * jnr-constants' aarch64 tables.
 */
final class LinuxConstants {
    static final int SOCK_STREAM = Sock.SOCK_STREAM.intValue();
    static final int SOL_TCP = SocketLevel.SOL_TCP.intValue();
    static final int SO_ERROR = SocketOption.SO_ERROR.intValue();
    static final int SO_LINGER = SocketOption.SO_LINGER.intValue();
    static final int TCP_QUICKACK = TCP.TCP_QUICKACK.intValue();
    static final int TCP_INFO = TCP.TCP_INFO.intValue();
    // <linux/errqueue.h>
    static final int SO_EE_ORIGIN_ICMP = 2;
    static final int SO_EE_ORIGIN_ICMP6 = 3;

    // epoll's, from the shared native layer (its one definition)
    static final int EPOLL_CLOEXEC = Epoll.EPOLL_CLOEXEC;
    static final int EPOLLOUT = Epoll.EPOLLOUT;
    static final int EPOLLERR = Epoll.EPOLLERR;
    static final int EPOLLHUP = Epoll.EPOLLHUP;
    /** Reported once, then disarmed until rearmed: a kept socket (see IdleSockets) stays quiet. */
    static final int EPOLLONESHOT = Epoll.EPOLLONESHOT;
    static final int EFD_NONBLOCK = Epoll.EFD_NONBLOCK;

    static final int EINTR = Errno.EINTR.intValue();
    static final int EAGAIN = Errno.EAGAIN.intValue();
    static final int EINPROGRESS = Errno.EINPROGRESS.intValue();
    static final int ECONNREFUSED = Errno.ECONNREFUSED.intValue();
    static final int EHOSTUNREACH = Errno.EHOSTUNREACH.intValue();
    static final int ENETUNREACH = Errno.ENETUNREACH.intValue();
    static final int ETIMEDOUT = Errno.ETIMEDOUT.intValue();
    static final int EMFILE = Errno.EMFILE.intValue();
    static final int ENFILE = Errno.ENFILE.intValue();
    static final int ENOBUFS = Errno.ENOBUFS.intValue();
    static final int ENOMEM = Errno.ENOMEM.intValue();
    static final int EADDRNOTAVAIL = Errno.EADDRNOTAVAIL.intValue();

    private LinuxConstants() {
    }

    /** The symbolic name of an errno value, for messages: {@code ECONNREFUSED}. */
    static String errnoName(int errno) {
        return UnixSystem.LINUX.errnoName(errno);
    }
}

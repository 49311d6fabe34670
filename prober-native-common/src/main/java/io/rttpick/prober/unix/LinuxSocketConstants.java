package io.rttpick.prober.unix;

import jnr.constants.platform.linux.AddressFamily;
import jnr.constants.platform.linux.Errno;
import jnr.constants.platform.linux.IP;
import jnr.constants.platform.linux.Sock;
import jnr.constants.platform.linux.SocketLevel;
import jnr.constants.platform.linux.SocketMessage;

/**
 * The Linux socket constants every Linux prober passes to the kernel (the TCP prober, the ICMP
 * prober), defined once. Values come from jnr-constants' tables, generated from real Linux
 * headers; the one it lacks names its header. They are the same on x86_64 and aarch64
 * (asm-generic), which the TCP prober's tests check against jnr-constants' aarch64 tables.
 */
public final class LinuxSocketConstants {
    public static final int AF_INET = AddressFamily.AF_INET.intValue();
    public static final int AF_INET6 = AddressFamily.AF_INET6.intValue();
    public static final int SOCK_NONBLOCK = Sock.SOCK_NONBLOCK.intValue();
    public static final int SOCK_CLOEXEC = Sock.SOCK_CLOEXEC.intValue();
    public static final int SOL_SOCKET = SocketLevel.SOL_SOCKET.intValue();
    public static final int SOL_IP = SocketLevel.SOL_IP.intValue();
    public static final int SOL_IPV6 = SocketLevel.SOL_IPV6.intValue();
    public static final int IP_RECVERR = IP.IP_RECVERR.intValue();
    /** {@code <linux/in6.h>}: not in jnr-constants' IPv6 table. */
    public static final int IPV6_RECVERR = 25;
    public static final int MSG_DONTWAIT = SocketMessage.MSG_DONTWAIT.intValue();
    public static final int MSG_ERRQUEUE = SocketMessage.MSG_ERRQUEUE.intValue();
    public static final int EACCES = Errno.EACCES.intValue();
    public static final int EPERM = Errno.EPERM.intValue();

    private LinuxSocketConstants() {
    }
}

package io.rttpick.prober.icmp;

import jnr.constants.platform.linux.AddressFamily;
import jnr.constants.platform.linux.Errno;
import jnr.constants.platform.linux.IPProto;
import jnr.constants.platform.linux.Sock;
import jnr.constants.platform.linux.SocketControlMessage;
import jnr.constants.platform.linux.SocketLevel;
import jnr.constants.platform.linux.SocketMessage;
import jnr.constants.platform.linux.SocketOption;

/** Linux's values, from jnr-constants' tables (generated from the headers); the few it lacks name their header. */
final class IcmpConstants {
    private IcmpConstants() {
    }

    static final int AF_INET = AddressFamily.AF_INET.intValue();
    static final int AF_INET6 = AddressFamily.AF_INET6.intValue();
    static final int SOCK_DGRAM = Sock.SOCK_DGRAM.intValue();
    static final int SOCK_NONBLOCK = Sock.SOCK_NONBLOCK.intValue();
    static final int SOCK_CLOEXEC = Sock.SOCK_CLOEXEC.intValue();
    static final int IPPROTO_ICMP = IPProto.IPPROTO_ICMP.intValue();
    static final int IPPROTO_ICMPV6 = IPProto.IPPROTO_ICMPV6.intValue();
    static final int SOL_SOCKET = SocketLevel.SOL_SOCKET.intValue();
    static final int SO_TIMESTAMPNS = SocketOption.SO_TIMESTAMPNS.intValue();
    static final int SOL_IP = SocketLevel.SOL_IP.intValue();
    static final int SOL_IPV6 = SocketLevel.SOL_IPV6.intValue();
    static final int IP_RECVERR = jnr.constants.platform.linux.IP.IP_RECVERR.intValue();
    // <linux/in6.h>: not in jnr-constants' IPv6 table
    static final int IPV6_RECVERR = 25;
    static final int SCM_TIMESTAMPNS = SocketControlMessage.SCM_TIMESTAMPNS.intValue();
    static final int MSG_DONTWAIT = SocketMessage.MSG_DONTWAIT.intValue();

    static final int EACCES = Errno.EACCES.intValue();
    static final int EPERM = Errno.EPERM.intValue();

    // <time.h>
    static final int CLOCK_REALTIME = 0;
    // RFC 792 and RFC 4443
    static final int ICMP_ECHO_REQUEST = 8;
    static final int ICMP_ECHO_REPLY = 0;
    static final int ICMPV6_ECHO_REQUEST = 128;
    static final int ICMPV6_ECHO_REPLY = 129;
}

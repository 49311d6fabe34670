package io.rttpick.prober.icmp;

import io.rttpick.prober.unix.LinuxSocketConstants;
import jnr.constants.platform.linux.IPProto;
import jnr.constants.platform.linux.Sock;
import jnr.constants.platform.linux.SocketControlMessage;
import jnr.constants.platform.linux.SocketOption;

/**
 * The ICMP prober's own Linux values, from jnr-constants' tables (generated from the headers); the
 * few it lacks name their header. Those it shares with the TCP prober are {@link LinuxSocketConstants}.
 */
final class IcmpConstants {
    private IcmpConstants() {
    }

    static final int SOCK_DGRAM = Sock.SOCK_DGRAM.intValue();
    static final int IPPROTO_ICMP = IPProto.IPPROTO_ICMP.intValue();
    static final int IPPROTO_ICMPV6 = IPProto.IPPROTO_ICMPV6.intValue();
    static final int SO_TIMESTAMPNS = SocketOption.SO_TIMESTAMPNS.intValue();
    static final int SCM_TIMESTAMPNS = SocketControlMessage.SCM_TIMESTAMPNS.intValue();

    // <time.h>
    static final int CLOCK_REALTIME = 0;
    // RFC 792 and RFC 4443
    static final int ICMP_ECHO_REQUEST = 8;
    static final int ICMP_ECHO_REPLY = 0;
    static final int ICMPV6_ECHO_REQUEST = 128;
    static final int ICMPV6_ECHO_REPLY = 129;
}

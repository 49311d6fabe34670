package io.rttpick.prober.darwin;

import jnr.constants.platform.darwin.AddressFamily;
import jnr.constants.platform.darwin.Errno;
import jnr.constants.platform.darwin.Fcntl;
import jnr.constants.platform.darwin.IPProto;
import jnr.constants.platform.darwin.OpenFlags;
import jnr.constants.platform.darwin.Sock;
import jnr.constants.platform.darwin.SocketLevel;
import jnr.constants.platform.darwin.SocketOption;

/**
 * The Darwin constants the prober uses. Where jnr-constants has them (its Darwin tables are
 * generated from macOS headers) they come from there, never typed here; what it lacks is typed
 * with the header it comes from. Read on any OS: these are Darwin's numbers, not the host's.
 */
final class DarwinConstants {
    private DarwinConstants() {
    }

    // sys/socket.h, netinet/in.h, fcntl.h: from jnr-constants' Darwin tables
    static final int AF_INET = AddressFamily.AF_INET.intValue();
    static final int AF_INET6 = AddressFamily.AF_INET6.intValue();
    static final int SOCK_STREAM = Sock.SOCK_STREAM.intValue();
    static final int IPPROTO_TCP = IPProto.IPPROTO_TCP.intValue();
    static final int SOL_SOCKET = SocketLevel.SOL_SOCKET.intValue();
    static final int SO_LINGER = SocketOption.SO_LINGER.intValue();
    static final int SO_NOSIGPIPE = SocketOption.SO_NOSIGPIPE.intValue();
    static final int SO_ERROR = SocketOption.SO_ERROR.intValue();
    static final int F_GETFL = Fcntl.F_GETFL.intValue();
    static final int F_SETFL = Fcntl.F_SETFL.intValue();
    static final int O_NONBLOCK = OpenFlags.O_NONBLOCK.intValue();

    // sys/errno.h: from jnr-constants' Darwin errno table
    static final int EPERM = Errno.EPERM.intValue();
    static final int EINTR = Errno.EINTR.intValue();
    static final int EBADF = Errno.EBADF.intValue();
    static final int ENOMEM = Errno.ENOMEM.intValue();
    static final int EACCES = Errno.EACCES.intValue();
    static final int ENFILE = Errno.ENFILE.intValue();
    static final int EMFILE = Errno.EMFILE.intValue();
    static final int EAGAIN = Errno.EAGAIN.intValue();
    static final int EINPROGRESS = Errno.EINPROGRESS.intValue();
    static final int EADDRNOTAVAIL = Errno.EADDRNOTAVAIL.intValue();
    static final int ENETUNREACH = Errno.ENETUNREACH.intValue();
    static final int ECONNRESET = Errno.ECONNRESET.intValue();
    static final int ENOBUFS = Errno.ENOBUFS.intValue();
    static final int ETIMEDOUT = Errno.ETIMEDOUT.intValue();
    static final int ECONNREFUSED = Errno.ECONNREFUSED.intValue();
    static final int EHOSTUNREACH = Errno.EHOSTUNREACH.intValue();

    // sys/event.h (XNU bsd/sys/event.h); jnr-constants has no kqueue table
    static final short EVFILT_WRITE = -2;
    static final short EVFILT_USER = -10;
    static final int EV_ADD = 0x0001;
    static final int EV_ONESHOT = 0x0010;
    static final int EV_CLEAR = 0x0020;
    static final int EV_ERROR = 0x4000;
    static final int EV_EOF = 0x8000;
    static final int NOTE_TRIGGER = 0x01000000;

    // netinet/tcp.h (XNU bsd/netinet/tcp.h): the getsockopt(IPPROTO_TCP) name of struct tcp_connection_info
    static final int TCP_CONNECTION_INFO = 0x106;
}

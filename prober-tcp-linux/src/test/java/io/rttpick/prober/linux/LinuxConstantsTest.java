package io.rttpick.prober.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rttpick.prober.unix.LinuxSocketConstants;
import org.junit.jupiter.api.Test;

/**
 * The values come from jnr-constants' x86_64 tables; the same values must hold on aarch64
 * (asm-generic), checked against jnr-constants' aarch64 tables, an independent generation.
 */
class LinuxConstantsTest {
    @Test
    void socketValuesAgreeOnAarch64() {
        assertEquals(jnr.constants.platform.linux.aarch64.AddressFamily.AF_INET.intValue(), LinuxSocketConstants.AF_INET);
        assertEquals(jnr.constants.platform.linux.aarch64.AddressFamily.AF_INET6.intValue(), LinuxSocketConstants.AF_INET6);
        assertEquals(jnr.constants.platform.linux.aarch64.Sock.SOCK_STREAM.intValue(), LinuxConstants.SOCK_STREAM);
        assertEquals(jnr.constants.platform.linux.aarch64.Sock.SOCK_NONBLOCK.intValue(), LinuxSocketConstants.SOCK_NONBLOCK);
        assertEquals(jnr.constants.platform.linux.aarch64.Sock.SOCK_CLOEXEC.intValue(), LinuxSocketConstants.SOCK_CLOEXEC);
        assertEquals(jnr.constants.platform.linux.aarch64.SocketLevel.SOL_SOCKET.intValue(), LinuxSocketConstants.SOL_SOCKET);
        assertEquals(jnr.constants.platform.linux.aarch64.SocketLevel.SOL_TCP.intValue(), LinuxConstants.SOL_TCP);
        assertEquals(jnr.constants.platform.linux.aarch64.SocketOption.SO_ERROR.intValue(), LinuxConstants.SO_ERROR);
        assertEquals(jnr.constants.platform.linux.aarch64.SocketOption.SO_LINGER.intValue(), LinuxConstants.SO_LINGER);
        assertEquals(jnr.constants.platform.linux.aarch64.TCP.TCP_QUICKACK.intValue(), LinuxConstants.TCP_QUICKACK);
        assertEquals(jnr.constants.platform.linux.aarch64.TCP.TCP_INFO.intValue(), LinuxConstants.TCP_INFO);
        assertEquals(jnr.constants.platform.linux.aarch64.OpenFlags.O_CLOEXEC.intValue(), LinuxConstants.EPOLL_CLOEXEC);
        assertEquals(jnr.constants.platform.linux.aarch64.OpenFlags.O_NONBLOCK.intValue(), LinuxConstants.EFD_NONBLOCK);
    }

    @Test
    void errnoValuesAgreeOnAarch64() {
        assertEquals(jnr.constants.platform.linux.aarch64.Errno.EINPROGRESS.intValue(), LinuxConstants.EINPROGRESS);
        assertEquals(jnr.constants.platform.linux.aarch64.Errno.ECONNREFUSED.intValue(), LinuxConstants.ECONNREFUSED);
        assertEquals(jnr.constants.platform.linux.aarch64.Errno.EHOSTUNREACH.intValue(), LinuxConstants.EHOSTUNREACH);
        assertEquals(jnr.constants.platform.linux.aarch64.Errno.ENETUNREACH.intValue(), LinuxConstants.ENETUNREACH);
        assertEquals(jnr.constants.platform.linux.aarch64.Errno.EMFILE.intValue(), LinuxConstants.EMFILE);
        assertEquals(jnr.constants.platform.linux.aarch64.Errno.EADDRNOTAVAIL.intValue(), LinuxConstants.EADDRNOTAVAIL);
        assertEquals(jnr.constants.platform.linux.aarch64.Errno.EACCES.intValue(), LinuxSocketConstants.EACCES);
        assertEquals(jnr.constants.platform.linux.aarch64.Errno.EPERM.intValue(), LinuxSocketConstants.EPERM);
        assertEquals(jnr.constants.platform.linux.aarch64.Errno.EINTR.intValue(), LinuxConstants.EINTR);
    }

    @Test
    void epollAndEventfdFlagsMatchTheirHeaders() {
        // uapi linux/eventpoll.h; the CLOEXEC flags are O_CLOEXEC (02000000) by definition
        assertEquals(0x004, LinuxConstants.EPOLLOUT);
        assertEquals(0x008, LinuxConstants.EPOLLERR);
        assertEquals(0x010, LinuxConstants.EPOLLHUP);
        assertEquals(02000000, LinuxConstants.EPOLL_CLOEXEC);
        assertEquals(04000, LinuxConstants.EFD_NONBLOCK);
    }

    @Test
    void errnoNamesForMessages() {
        assertEquals("ECONNREFUSED", LinuxConstants.errnoName(LinuxConstants.ECONNREFUSED));
    }
}

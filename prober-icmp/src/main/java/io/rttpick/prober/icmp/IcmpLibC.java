package io.rttpick.prober.icmp;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.annotations.Transient;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/** The libc calls of the ICMP prober, for JNR. Public only because JNR implements it in a loader of its own. */
public interface IcmpLibC {
    @SaveError
    int socket(int domain, int type, int protocol);

    @SaveError
    int setsockopt(int fd, int level, int option, @In @Transient Pointer value, int length);

    @SaveError
    int bind(int fd, @In @Transient Pointer address, int length);

    @SaveError
    int connect(int fd, @In @Transient Pointer address, int length);

    @SaveError
    @ssize_t long send(int fd, @In @Transient Pointer buffer, @size_t long length, int flags);

    @SaveError
    @ssize_t long recvmsg(int fd, @In @Out @Transient Pointer msghdr, int flags);

    @SaveError
    int poll(@In @Out @Transient Pointer fds, long nfds, int timeoutMillis);

    @SaveError
    int eventfd(int initialValue, int flags);

    @SaveError
    @ssize_t long read(int fd, @Out @Transient Pointer buffer, @size_t long count);

    @SaveError
    @ssize_t long write(int fd, @In @Transient Pointer buffer, @size_t long count);

    @SaveError
    int clock_gettime(int clock, @Out @Transient Pointer timespec);

    @SaveError
    int close(int fd);

    String strerror(int errno);
}

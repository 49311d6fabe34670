package io.rttpick.prober.linux;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.annotations.Transient;
import jnr.ffi.byref.IntByReference;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc calls the Linux prober makes, declared for JNR. Public only because JNR implements it
 * in a class loader of its own; not an API: only {@link Native} calls it.
 */
public interface LibC {
    @SaveError
    int socket(int domain, int type, int protocol);

    @SaveError
    int setsockopt(int fd, int level, int option, @In @Transient Pointer value, int length);

    @SaveError
    int getsockopt(int fd, int level, int option, @Out @Transient Pointer value, IntByReference length);

    @SaveError
    int bind(int fd, @In @Transient Pointer address, int length);

    @SaveError
    int connect(int fd, @In @Transient Pointer address, int length);

    @SaveError
    int close(int fd);

    @SaveError
    int epoll_create1(int flags);

    @SaveError
    int epoll_ctl(int epfd, int op, int fd, @In @Transient Pointer event);

    @SaveError
    int epoll_wait(int epfd, @Out @Transient Pointer events, int maxEvents, int timeoutMillis);

    @SaveError
    int eventfd(int initialValue, int flags);

    @SaveError
    @ssize_t long read(int fd, @Out @Transient Pointer buffer, @size_t long count);

    @SaveError
    @ssize_t long write(int fd, @In @Transient Pointer buffer, @size_t long count);

    @SaveError
    @ssize_t long recvmsg(int fd, @In @Out @Transient Pointer msghdr, int flags);

    String strerror(int errno);
}

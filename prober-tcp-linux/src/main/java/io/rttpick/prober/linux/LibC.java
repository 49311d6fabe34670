package io.rttpick.prober.linux;

import jnr.ffi.Pointer;
import jnr.ffi.byref.IntByReference;

/**
 * The libc calls the Linux prober makes, declared for JNR. Public only because JNR implements it
 * in a class loader of its own; not an API: only {@link Native} calls it.
 *
 * <p>No annotations, on purpose. Every call saves errno by the library option {@link Native}
 * loads it with (JNR's default too), every pointer is direct memory, passed as its address, so
 * {@code @In}/{@code @Out}/{@code @Transient} would change nothing, and {@code long} is
 * {@code size_t}/{@code ssize_t} on the 64-bit CPUs the prober supports (see
 * {@link EpollEventLayout}). Each distinct annotation costs the JVM a generated proxy class
 * when JNR reads it (measured: about 30 ms of a one-shot command's start-up, before its first SYN).
 */
public interface LibC {
    int socket(int domain, int type, int protocol);

    int setsockopt(int fd, int level, int option, Pointer value, int length);

    int getsockopt(int fd, int level, int option, Pointer value, IntByReference length);

    int bind(int fd, Pointer address, int length);

    int connect(int fd, Pointer address, int length);

    int close(int fd);

    int epoll_create1(int flags);

    int epoll_ctl(int epfd, int op, int fd, Pointer event);

    int epoll_wait(int epfd, Pointer events, int maxEvents, int timeoutMillis);

    int eventfd(int initialValue, int flags);

    long read(int fd, Pointer buffer, long count);

    long write(int fd, Pointer buffer, long count);

    long recvmsg(int fd, Pointer msghdr, int flags);

    String strerror(int errno);
}

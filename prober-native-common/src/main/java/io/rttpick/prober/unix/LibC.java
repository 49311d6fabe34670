package io.rttpick.prober.unix;

import jnr.ffi.annotations.Variadic;

/**
 * The libc calls every native prober makes, declared once for JNR. Public only because JNR
 * implements it in a class loader of its own; not an API: only {@link Native} calls it.
 *
 * <p>Only primitive types, on purpose: every pointer is passed as its address ({@code long}; the
 * probers support 64-bit CPUs only, where {@code long} is also {@code size_t}/{@code ssize_t}),
 * and errno is saved by the library option {@link Native} loads it with. For anything else JNR
 * looks up type converters and reads annotations, and each annotation type read costs the JVM a
 * generated proxy class (measured: 20-30 ms of a one-shot command's start-up, before its first
 * SYN). The one annotation, on {@code fcntl}, is read only where fcntl is bound (macOS).
 *
 * <p>Calls of one system only (epoll and eventfd on Linux, kqueue on Darwin) are bound when first
 * made: each prober's availability check makes every call it needs, so a missing one is caught there.
 */
public interface LibC {
    int socket(int domain, int type, int protocol);

    int setsockopt(int fd, int level, int option, long value, int length);

    int getsockopt(int fd, int level, int option, long value, long length);

    int bind(int fd, long address, int length);

    int connect(int fd, long address, int length);

    int close(int fd);

    long read(int fd, long buffer, long count);

    long write(int fd, long buffer, long count);

    long send(int fd, long buffer, long length, int flags);

    long recvmsg(int fd, long msghdr, int flags);

    int clock_gettime(int clock, long timespec);

    /** A {@code const char *} into libc's own storage: never freed. */
    long strerror(int errno);

    long calloc(long count, long size);

    void free(long address);

    // Linux

    int epoll_create1(int flags);

    int epoll_ctl(int epfd, int op, int fd, long event);

    int epoll_wait(int epfd, long events, int maxEvents, int timeoutMillis);

    int eventfd(int initialValue, int flags);

    // Darwin

    /**
     * {@code int fcntl(int, int, ...)} is variadic: on Apple Silicon variadic arguments go on the
     * stack, not in registers, so the third argument must be declared as one.
     */
    @Variadic(fixedCount = 2)
    int fcntl(int fd, int cmd, int arg);

    int kqueue();

    int kevent(int kq, long changes, int nchanges, long events, int nevents, long timeout);
}

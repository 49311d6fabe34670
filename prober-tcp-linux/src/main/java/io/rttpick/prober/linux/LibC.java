package io.rttpick.prober.linux;

/**
 * The libc calls the Linux prober makes, declared for JNR. Public only because JNR implements it
 * in a class loader of its own; not an API: only {@link Native} calls it.
 *
 * <p>Only primitive types, on purpose: every pointer is passed as its address ({@code long}; the
 * prober supports 64-bit CPUs only, see {@link EpollEventLayout}, where {@code long} is also
 * {@code size_t}/{@code ssize_t}), and nothing is annotated; errno is saved by the library option
 * {@link Native} loads it with. For anything else JNR looks up type converters and reads
 * annotations, its own and the JDK's, and each annotation type read costs the JVM a generated
 * proxy class (measured: 20-30 ms of a one-shot command's start-up, before its first SYN).
 */
public interface LibC {
    int socket(int domain, int type, int protocol);

    int setsockopt(int fd, int level, int option, long value, int length);

    int getsockopt(int fd, int level, int option, long value, long length);

    int bind(int fd, long address, int length);

    int connect(int fd, long address, int length);

    int close(int fd);

    int epoll_create1(int flags);

    int epoll_ctl(int epfd, int op, int fd, long event);

    int epoll_wait(int epfd, long events, int maxEvents, int timeoutMillis);

    int eventfd(int initialValue, int flags);

    long read(int fd, long buffer, long count);

    long write(int fd, long buffer, long count);

    long recvmsg(int fd, long msghdr, int flags);

    /** A {@code const char *} into libc's own storage: never freed. */
    long strerror(int errno);

    long calloc(long count, long size);

    void free(long address);
}

package io.rttpick.prober.darwin;

import io.rttpick.prober.unix.NativeCallException;
import java.net.InetSocketAddress;

/**
 * Every system call the kqueue prober makes, in Java terms. {@link JnrDarwinSystem} makes them on
 * macOS; the tests run the whole prober on Linux against a simulation of this interface that
 * reproduces kqueue's semantics. A call that fails throws with Darwin's errno. Only
 * {@link #kevent} may be called from more than one thread (the wakeup).
 */
interface DarwinSystem {

    /** A TCP socket of {@code family} (AF_INET or AF_INET6), blocking as sockets start. */
    int socket(int family) throws NativeCallException;

    /** fcntl(F_GETFL), then fcntl(F_SETFL, flags | O_NONBLOCK). */
    void setNonBlocking(int fd) throws NativeCallException;

    /** setsockopt with an int value. */
    void setIntOption(int fd, int level, int option, int value, String name) throws NativeCallException;

    /** SO_LINGER {1, 0}: close resets the connection instead of a graceful FIN. */
    void setLingerZero(int fd) throws NativeCallException;

    void bind(int fd, InetSocketAddress local) throws NativeCallException;

    /** Starts the connect: true when it completed at once, false when it is in progress (EINPROGRESS). */
    boolean connect(int fd, InetSocketAddress target) throws NativeCallException;

    /** getsockopt(SO_ERROR): the socket's pending error, which reading clears; 0 for none. */
    int socketError(int fd) throws NativeCallException;

    /** getsockopt(IPPROTO_TCP, TCP_CONNECTION_INFO). */
    TcpConnectionInfo connectionInfo(int fd) throws NativeCallException;

    void close(int fd) throws NativeCallException;

    int kqueue() throws NativeCallException;

    /**
     * Applies {@code changes[0..nchanges)}, then waits for at most {@code out.length} events, at
     * most {@code timeoutNanos} (0: do not wait; negative: until one comes). Returns how many were
     * written to {@code out}.
     */
    int kevent(int kq, KEvent[] changes, int nchanges, KEvent[] out, long timeoutNanos) throws NativeCallException;

    /** The system's text for an errno. */
    String strerror(int errno);

    /** Frees what the calls used (native buffers), once the transport over it is closed. */
    default void release() {
    }
}

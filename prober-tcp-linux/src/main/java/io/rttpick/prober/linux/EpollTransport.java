package io.rttpick.prober.linux;

import io.rttpick.prober.Handshake;
import io.rttpick.prober.Outcome;
import io.rttpick.prober.RttSample;
import io.rttpick.prober.Timing;
import io.rttpick.prober.spi.AttemptFailedException;
import io.rttpick.prober.spi.AttemptResult;
import io.rttpick.prober.spi.ConnectClock;
import io.rttpick.prober.spi.NoRoomException;
import io.rttpick.prober.spi.Preload;
import io.rttpick.prober.spi.Transport;
import io.rttpick.prober.unix.Epoll;
import io.rttpick.prober.unix.EpollEventLayout;
import io.rttpick.prober.unix.LinuxSocketConstants;
import io.rttpick.prober.unix.Native;
import io.rttpick.prober.unix.NativeArena;
import io.rttpick.prober.unix.NativeCallException;
import io.rttpick.prober.unix.SockAddr;
import io.rttpick.prober.unix.UnixSystem;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import jnr.ffi.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Half-open probes on Linux. Each socket gets TCP_QUICKACK 0 (the kernel then holds the
 * handshake's final ACK for up to 200 ms) and SO_LINGER {1, 0}; when epoll reports it writable
 * the SYN-ACK is in, we read SO_ERROR and TCP_INFO and end the connection at once, so the kernel
 * answers the SYN-ACK with RST and the server's application never sees a connection. It ends by
 * {@code connect(AF_UNSPEC)} when the socket is kept for the next probe ({@link IdleSockets}), by
 * close otherwise: the same RST either way. The RTT is the kernel's own SYN to SYN-ACK sample
 * ({@code tcpi_rtt}), free of our scheduling delays.
 */
final class EpollTransport implements Transport<Integer> {
    private static final Logger log = LoggerFactory.getLogger(EpollTransport.class);
    private static final int MAX_EVENTS = 1024;
    /** The delayed ACK fires 200 ms (TCP_DELACK_MAX) after the SYN-ACK; closing later than this may be too late. */
    static final long HALF_OPEN_SAFE_NANOS = TimeUnit.MILLISECONDS.toNanos(150);
    static final String DETAIL_TCP_INFO_LENGTH = "tcpInfoLength";
    static final String DETAIL_CLOSED_AFTER_ANSWER_MICROS = "closedAfterAnswerMicros";

    static {
        // Out of descriptors, the JVM cannot open a jar to load a class: load now what that path needs.
        Preload.classes(Errors.class, NativeCallException.class, NoRoomException.class, AttemptFailedException.class);
    }

    /** The epoll set, its wakeup and its buffers. */
    private final Epoll epoll;
    /** Every buffer below; freed when the transport closes. */
    private final NativeArena arena = new NativeArena();
    // event-loop thread only
    private final Pointer sockaddr;
    private final Pointer scratch;
    private final Pointer tcpInfo;
    private final Pointer optionLength;
    private final IcmpErrorQueue errorQueue = new IcmpErrorQueue(arena);
    /** Descriptors epoll reported writable without EPOLLERR / EPOLLHUP: their connect succeeded. */
    private final BitSet connected = new BitSet();
    /** Descriptors of probes in flight that are IPv6 sockets, and that are bound to a source address. */
    private final BitSet ipv6 = new BitSet();
    private final BitSet bound = new BitSet();
    /** Descriptors of probes in flight whose socket was kept from an earlier probe. */
    private final BitSet reused = new BitSet();
    private final IdleSockets idle = new IdleSockets();
    /** A zeroed sockaddr: family AF_UNSPEC. */
    private final Pointer unspec;

    EpollTransport() throws NativeCallException {
        this(EpollEventLayout.current());
    }

    /** With {@code layout} for struct epoll_event: this CPU's, or a wrong one on purpose (the canary's tests). */
    EpollTransport(EpollEventLayout layout) throws NativeCallException {
        this.epoll = new Epoll(layout, MAX_EVENTS, "epoll");
        this.sockaddr = arena.allocate(SockAddr.MAX_SIZE);
        this.scratch = arena.allocate(16);
        this.tcpInfo = arena.allocate(TcpInfo.BUFFER_SIZE);
        this.optionLength = arena.allocate(4);
        this.unspec = arena.allocate(SockAddr.MAX_SIZE);
    }

    @Override
    public Integer connect(InetSocketAddress target, InetAddress localAddress, ConnectClock clock)
            throws AttemptFailedException, NoRoomException {
        boolean v6 = target.getAddress() instanceof Inet6Address;
        int fd = localAddress == null ? idle.take(v6) : -1;
        boolean kept = fd >= 0;
        if (!kept) {
            fd = newSocket(target);
        }
        try {
            // a reset socket forgets TCP_QUICKACK; SO_LINGER and IP_RECVERR stay
            Native.setIntOption(fd, LinuxConstants.SOL_TCP, LinuxConstants.TCP_QUICKACK, 0, scratch, "TCP_QUICKACK");
            if (!kept) {
                Native.setLingerZero(fd, scratch);
                // an ICMP error is then queued with its type, code and sender: see IcmpErrorQueue
                Native.setIntOption(fd, v6 ? LinuxSocketConstants.SOL_IPV6 : LinuxSocketConstants.SOL_IP,
                        v6 ? LinuxSocketConstants.IPV6_RECVERR : LinuxSocketConstants.IP_RECVERR, 1, scratch, "IP_RECVERR");
                if (localAddress != null) {
                    bind(fd, localAddress);
                }
            }
            int length = SockAddr.write(sockaddr, target);
            clock.mark();
            Native.connect(fd, sockaddr, length);
            int events = LinuxConstants.EPOLLOUT | LinuxConstants.EPOLLONESHOT;
            if (kept) {
                epoll.rearm(fd, events);
            } else {
                epoll.add(fd, events);
            }
            ipv6.set(fd, v6);
            bound.set(fd, localAddress != null);
            reused.set(fd, kept);
            return fd;
        } catch (NativeCallException e) {
            Native.closeQuietly(fd);
            throw Errors.failure(e);
        } catch (AttemptFailedException | RuntimeException e) {
            Native.closeQuietly(fd);
            throw e;
        }
    }

    /** A new non-blocking socket; out of descriptors, the kept ones are given back first. */
    private int newSocket(InetSocketAddress target) throws AttemptFailedException, NoRoomException {
        int family = UnixSystem.LINUX.family(target.getAddress());
        try {
            return socket(family);
        } catch (NativeCallException e) {
            if (!idle.isEmpty() && Errors.isNoRoom(e.errno())) {
                idle.release(Native::closeQuietly);
                try {
                    return socket(family);
                } catch (NativeCallException again) {
                    throw Errors.failure(again);
                }
            }
            throw Errors.failure(e);
        }
    }

    private static int socket(int family) throws NativeCallException {
        return Native.socket(family,
                LinuxConstants.SOCK_STREAM | LinuxSocketConstants.SOCK_NONBLOCK | LinuxSocketConstants.SOCK_CLOEXEC, 0, "socket");
    }

    /** A source address that cannot be bound is the caller's mistake, not a lack of room. */
    private void bind(int fd, InetAddress localAddress) throws AttemptFailedException {
        try {
            Native.bind(fd, sockaddr, SockAddr.write(sockaddr, new InetSocketAddress(localAddress, 0)));
        } catch (NativeCallException e) {
            throw new AttemptFailedException(Outcome.ERROR, "cannot bind local address "
                    + localAddress.getHostAddress() + ": " + Native.strerror(e.errno()));
        }
    }

    @Override
    public void poll(long timeoutNanos, ReadyHandler<Integer> ready) throws NativeCallException {
        if (timeoutNanos < 0) {
            // nothing in flight and nothing due: kept sockets would only hold descriptors now
            idle.release(Native::closeQuietly);
        }
        epoll.await(timeoutNanos, (fd, mask, now) -> {
            // writable with no error: connected, and SO_ERROR need not be read
            connected.set(fd, (mask & (LinuxConstants.EPOLLERR | LinuxConstants.EPOLLHUP)) == 0);
            ready.ready(fd, now);
        });
    }

    @Override
    public AttemptResult finish(Integer connection, long startNanos, long readyNanos) {
        int fd = connection;
        int error;
        int infoLength;
        try {
            error = connected.get(fd) ? 0 : Native.socketError(fd, scratch, optionLength);
            connected.clear(fd);
            infoLength = error == 0 ? Native.getOption(fd, LinuxConstants.SOL_TCP, LinuxConstants.TCP_INFO, tcpInfo,
                    TcpInfo.BUFFER_SIZE, optionLength, "TCP_INFO") : 0;
        } catch (NativeCallException e) {
            forget(fd);
            Native.closeQuietly(fd);
            return AttemptResult.failed(Outcome.ERROR, e.getMessage());
        }
        if (error != 0) {
            IcmpErrorQueue.Report icmp = errorQueue.read(fd);
            forget(fd);
            Native.closeQuietly(fd);
            return failedResult(error, icmp);
        }
        // reset first, think later: every microsecond open brings the delayed ACK closer
        TcpInfo info = TcpInfo.read(tcpInfo, infoLength);
        boolean wasReused = reused.get(fd);
        resetOrClose(fd, info);
        long closedNanos = System.nanoTime();
        return okResult(info, startNanos, readyNanos, closedNanos).detail(RttSample.Details.REUSED_SOCKET, wasReused);
    }

    /**
     * Ends an answered probe with RST: keeps the socket for the next probe when it can, else
     * closes it. Kept only when the kernel told its retransmissions and there were none: a
     * kernel before 5.6 does not clear the count on a reset, and the next probe would be
     * misread as retransmitted. Bound sockets are never kept: the next probe may want another source.
     */
    private void resetOrClose(int fd, TcpInfo info) {
        boolean v6 = ipv6.get(fd);
        boolean keep = info.knowsRetransmissions() && info.totalRetrans == 0 && !bound.get(fd);
        forget(fd);
        if (keep) {
            try {
                Native.disconnect(fd, unspec, SockAddr.MAX_SIZE);
                // the reset leaves ECONNRESET pending; reading it clears it, else epoll reports EPOLLERR at once
                Native.socketError(fd, scratch, optionLength);
                if (idle.offer(v6, fd)) {
                    return;
                }
            } catch (NativeCallException e) {
                log.debug("cannot reset socket {} for reuse; closing it", fd, e);
            }
        }
        Native.closeQuietly(fd);
    }

    /** A failed connect, saying who ended it: the server's RST, an ICMP error (which, from whom), or our own stack. */
    static AttemptResult failedResult(int error, IcmpErrorQueue.Report icmp) {
        Outcome outcome = Errors.outcomeOf(error);
        String text = Errors.describe(error);
        String source;
        if (icmp != null && icmp.administrativelyProhibited()) {
            // Linux reports it as EHOSTUNREACH; the queued ICMP says what it really was: a filter
            outcome = Outcome.PERMISSION_DENIED;
            source = "ICMP";
            text = "administratively prohibited: a firewall (here or on the path) refused the connection (" + icmp + ")";
        } else if (icmp != null) {
            source = "ICMP";
            text += " (" + icmp + ")";
        } else if (outcome == Outcome.REFUSED) {
            source = "RST";
            text += " (RST from the server)";
        } else {
            source = outcome == Outcome.UNREACHABLE || outcome == Outcome.PERMISSION_DENIED ? "local" : null;
        }
        AttemptResult result = AttemptResult.failed(outcome, text);
        if (source != null) {
            result.detail(RttSample.Details.ERROR_SOURCE, source);
        }
        if (icmp != null) {
            result.detail(RttSample.Details.ICMP, icmp.toString());
        }
        return result;
    }

    static AttemptResult okResult(TcpInfo info, long startNanos, long readyNanos, long closedNanos) {
        long userMicros = Math.max(0, (readyNanos - startNanos) / 1_000);
        boolean retransmitted = info.knowsRetransmissions() && info.totalRetrans > 0;
        boolean kernel = info.hasRtt() && info.rttMicros > 0 && !retransmitted;
        long rttMicros = kernel ? info.rttMicros : userMicros;
        // the SYN-ACK arrived at start + the kernel's RTT, or (without it) when epoll saw it
        long answeredNanos = kernel ? startNanos + rttMicros * 1_000 : readyNanos;
        long closedAfter = Math.max(0, closedNanos - answeredNanos);
        // closed so late that the delayed ACK may have gone out: do not claim half-open
        Handshake handshake = closedAfter < HALF_OPEN_SAFE_NANOS ? Handshake.HALF_OPEN : Handshake.COMPLETED;
        AttemptResult result = AttemptResult.ok(rttMicros, kernel ? Timing.KERNEL : Timing.USERSPACE, handshake);
        if (!kernel) {
            result.detail(RttSample.Details.TIMING_NOTE, userspaceReason(info, retransmitted));
        }
        result.detail(RttSample.Details.USERSPACE_RTT_MICROS, userMicros)
                .detail(DETAIL_TCP_INFO_LENGTH, info.length)
                .detail(DETAIL_CLOSED_AFTER_ANSWER_MICROS, closedAfter / 1_000);
        if (info.knowsRetransmissions()) {
            result.detail(RttSample.Details.SYN_RETRANSMITTED, retransmitted);
        }
        return result;
    }

    private static String userspaceReason(TcpInfo info, boolean retransmitted) {
        if (!info.hasRtt()) {
            return "tcp_info is " + info.length + " bytes, too short for tcpi_rtt";
        }
        if (retransmitted) {
            return "the SYN was retransmitted: the kernel takes no RTT sample then (Karn)";
        }
        return "the kernel's RTT sample was 0";
    }

    @Override
    public void abort(Integer connection) {
        connected.clear(connection);
        forget(connection);
        Native.closeQuietly(connection);
    }

    /** Clears what was known about the probe on {@code fd}: the number may soon be another socket's. */
    private void forget(int fd) {
        ipv6.clear(fd);
        bound.clear(fd);
        reused.clear(fd);
    }

    @Override
    public void wakeup() {
        epoll.wakeup();
    }

    @Override
    public void close() {
        if (epoll.close()) {
            idle.release(Native::closeQuietly);
            arena.close();
        }
    }

}

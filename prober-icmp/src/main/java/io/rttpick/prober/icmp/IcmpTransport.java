package io.rttpick.prober.icmp;

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
import io.rttpick.prober.unix.ErrnoOutcomes;
import io.rttpick.prober.unix.LinuxSocketConstants;
import io.rttpick.prober.unix.MsgHdr;
import io.rttpick.prober.unix.Native;
import io.rttpick.prober.unix.NativeArena;
import io.rttpick.prober.unix.NativeCallException;
import io.rttpick.prober.unix.UnixSystem;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import jnr.ffi.Pointer;

/**
 * One echo per attempt, on its own unprivileged ping socket (SOCK_DGRAM + IPPROTO_ICMP /
 * IPPROTO_ICMPV6), connected to the target so that the kernel hands it only that peer's replies
 * and ICMP errors. The RTT is the kernel's receive timestamp (SO_TIMESTAMPNS) minus the time
 * taken just before send; the port of the address is not used at all.
 */
final class IcmpTransport implements Transport<Integer> {
    static final String DETAIL_PORT_USED = "portUsed";
    static final ErrnoOutcomes OUTCOMES = UnixSystem.LINUX.outcomes();
    private static final int MAX_EVENTS = 256;
    private static final int DATA_SIZE = 1500;
    private static final int CONTROL_SIZE = 256;

    static {
        Preload.classes(NativeCallException.class, NoRoomException.class, AttemptFailedException.class);
    }

    /** The epoll set every echo socket waits in, with its wakeup. */
    private final Epoll epoll;
    /** Every buffer below; freed when the transport closes. */
    private final NativeArena arena = new NativeArena();
    // event-loop thread only
    private final IcmpNative nat = new IcmpNative(arena);
    private final Map<Integer, Echo> inFlight = new HashMap<>();
    private final MsgHdr msg = new MsgHdr(arena, DATA_SIZE, CONTROL_SIZE);
    private final Pointer request = arena.allocate(EchoPacket.LENGTH);
    private int nextSequence;
    private String forbidden;

    /** One echo in flight. */
    private static final class Echo {
        final boolean v6;
        final int sequence;
        final long sentRealtimeNanos;

        Echo(boolean v6, int sequence, long sentRealtimeNanos) {
            this.v6 = v6;
            this.sequence = sequence;
            this.sentRealtimeNanos = sentRealtimeNanos;
        }
    }

    IcmpTransport() throws NativeCallException {
        this.epoll = new Epoll(EpollEventLayout.current(), MAX_EVENTS, "ICMP");
    }

    @Override
    public Integer connect(InetSocketAddress target, InetAddress localAddress, ConnectClock clock)
            throws AttemptFailedException, NoRoomException {
        InetAddress ip = target.getAddress();
        boolean v6 = ip instanceof Inet6Address;
        int fd;
        try {
            fd = IcmpNative.echoSocket(IcmpNative.family(ip));
        } catch (NativeCallException e) {
            throw failure(e);
        }
        try {
            nat.enableReceiveTimestamps(fd);
            nat.enableErrorReports(fd, v6);
            if (localAddress != null) {
                try {
                    nat.bind(fd, localAddress);
                } catch (NativeCallException e) {
                    throw new AttemptFailedException(Outcome.ERROR, "cannot bind local address "
                            + localAddress.getHostAddress() + ": " + Native.strerror(e.errno()));
                }
            }
            nat.connect(fd, ip);
            // one answer per echo: reported once (the socket is closed when its echo ends)
            epoll.add(fd, Epoll.EPOLLIN | Epoll.EPOLLERR | Epoll.EPOLLONESHOT);
            int sequence = nextSequence++ & 0xffff;
            int length = EchoPacket.writeRequest(request, v6, sequence);
            long sent = nat.realtimeNanos();
            clock.mark();
            Native.send(fd, request, length, 0);
            inFlight.put(fd, new Echo(v6, sequence, sent));
            return fd;
        } catch (NativeCallException e) {
            Native.closeQuietly(fd);
            throw failure(e);
        } catch (AttemptFailedException | RuntimeException e) {
            Native.closeQuietly(fd);
            throw e;
        }
    }

    /** EACCES from socket() means the system forbids unprivileged ICMP: say which setting (read once, not per attempt). */
    private AttemptFailedException failure(NativeCallException e) throws NoRoomException {
        if (e.errno() == LinuxSocketConstants.EACCES && e.call().startsWith("socket(")) {
            if (forbidden == null) {
                forbidden = Icmp.forbiddenText();
            }
            return new AttemptFailedException(Outcome.PERMISSION_DENIED, forbidden);
        }
        return OUTCOMES.failure(e.errno(), e.getMessage(), Native.strerror(e.errno()));
    }

    @Override
    public void poll(long timeoutNanos, ReadyHandler<Integer> ready) throws NativeCallException {
        // a socket is closed when its echo ends, which also takes it out of the set
        epoll.await(timeoutNanos, (fd, events, now) -> ready.ready(fd, now));
    }

    @Override
    public AttemptResult finish(Integer connection, long startNanos, long readyNanos) {
        int fd = connection;
        Echo echo = inFlight.remove(fd);
        long n = Native.recvmsg(fd, msg.reset().msghdr, LinuxSocketConstants.MSG_DONTWAIT);
        long received = n >= 0 ? receiveTimestampNanos() : -1;
        boolean isReply = n >= 0 && echo != null && EchoPacket.isReplyTo(msg.data, n, echo.v6, echo.sequence);
        Native.closeQuietly(fd);
        if (n < 0) {
            int errno = (int) -n;
            return AttemptResult.failed(OUTCOMES.outcomeOf(errno), OUTCOMES.describe(errno, Native.strerror(errno)));
        }
        if (!isReply) {
            return AttemptResult.failed(Outcome.ERROR, "not an echo reply to our request (" + n + " bytes)");
        }
        long userMicros = Math.max(0, (readyNanos - startNanos) / 1_000);
        AttemptResult result;
        if (received > 0 && received >= echo.sentRealtimeNanos) {
            result = AttemptResult.ok((received - echo.sentRealtimeNanos) / 1_000, Timing.KERNEL, Handshake.NONE)
                    .detail(RttSample.Details.TIMING_NOTE, "ICMP echo: the kernel's receive timestamp (SO_TIMESTAMPNS)"
                            + " minus the time taken just before send; the port was not used");
        } else {
            result = AttemptResult.ok(userMicros, Timing.USERSPACE, Handshake.NONE)
                    .detail(RttSample.Details.TIMING_NOTE, "ICMP echo without a receive timestamp: user-space time;"
                            + " the port was not used");
        }
        return result.detail(RttSample.Details.USERSPACE_RTT_MICROS, userMicros).detail(DETAIL_PORT_USED, false);
    }

    @Override
    public void abort(Integer connection) {
        inFlight.remove(connection);
        Native.closeQuietly(connection);
    }

    /** The SCM_TIMESTAMPNS time (CLOCK_REALTIME nanoseconds) among the control messages, or -1. */
    private long receiveTimestampNanos() {
        long at = msg.findControl(LinuxSocketConstants.SOL_SOCKET, IcmpConstants.SCM_TIMESTAMPNS, 16);
        return at < 0 ? -1 : msg.control.getLong(at) * 1_000_000_000L + msg.control.getLong(at + 8);
    }

    @Override
    public void wakeup() {
        epoll.wakeup();
    }

    @Override
    public void close() {
        // echoes still in flight were aborted by the engine before it closes the transport
        if (epoll.close()) {
            arena.close();
        }
    }

}

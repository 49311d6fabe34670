package io.rttpick.prober.icmp;

import io.rttpick.prober.Handshake;
import io.rttpick.prober.Outcome;
import io.rttpick.prober.RttSample;
import io.rttpick.prober.Timing;
import io.rttpick.prober.spi.AttemptFailedException;
import io.rttpick.prober.spi.AttemptResult;
import io.rttpick.prober.spi.ConnectClock;
import io.rttpick.prober.spi.ErrnoOutcomes;
import io.rttpick.prober.spi.NoRoomException;
import io.rttpick.prober.spi.Preload;
import io.rttpick.prober.spi.Transport;
import io.rttpick.prober.spi.WakeupSignal;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jnr.constants.platform.linux.Errno;
import jnr.ffi.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One echo per attempt, on its own unprivileged ping socket (SOCK_DGRAM + IPPROTO_ICMP /
 * IPPROTO_ICMPV6), connected to the target so that the kernel hands it only that peer's replies
 * and ICMP errors. The RTT is the kernel's receive timestamp (SO_TIMESTAMPNS) minus the time
 * taken just before send; the port of the address is not used at all.
 */
final class IcmpTransport implements Transport<Integer> {
    private static final Logger log = LoggerFactory.getLogger(IcmpTransport.class);
    static final String DETAIL_PORT_USED = "portUsed";
    static final ErrnoOutcomes OUTCOMES = new ErrnoOutcomes(name -> Errno.valueOf(name).intValue());
    private static final int POLLFD_SIZE = 8;

    static {
        Preload.classes(IcmpCallException.class, NoRoomException.class, AttemptFailedException.class);
    }

    private final IcmpNative nat = new IcmpNative();
    private final int wakeFd;
    private final WakeupSignal wake;
    // event-loop thread only
    private final Map<Integer, Echo> inFlight = new HashMap<>();
    private final MsgHdr msg = MsgHdr.allocate();
    private final Pointer request = IcmpNative.allocate(EchoPacket.LENGTH);
    private Pointer pollfds = IcmpNative.allocate(POLLFD_SIZE * 64);
    private int capacity = 64;
    private int[] order = new int[64];
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

    IcmpTransport() throws IcmpCallException {
        this.wakeFd = nat.eventfd();
        this.wake = new WakeupSignal("ICMP", () -> nat.signal(wakeFd), () -> nat.close(wakeFd));
    }

    @Override
    public Integer connect(InetSocketAddress target, InetAddress localAddress, ConnectClock clock)
            throws AttemptFailedException, NoRoomException {
        InetAddress ip = target.getAddress();
        boolean v6 = ip instanceof Inet6Address;
        int fd;
        try {
            fd = nat.echoSocket(IcmpNative.family(ip));
        } catch (IcmpCallException e) {
            throw failure(e);
        }
        try {
            nat.enableReceiveTimestamps(fd);
            nat.enableErrorReports(fd, v6);
            if (localAddress != null) {
                try {
                    nat.bind(fd, localAddress);
                } catch (IcmpCallException e) {
                    throw new AttemptFailedException(Outcome.ERROR, "cannot bind local address "
                            + localAddress.getHostAddress() + ": " + IcmpNative.strerror(e.errno()));
                }
            }
            nat.connect(fd, ip);
            int sequence = nextSequence++ & 0xffff;
            int length = EchoPacket.writeRequest(request, v6, sequence);
            long sent = nat.realtimeNanos();
            clock.mark();
            nat.send(fd, request, length);
            inFlight.put(fd, new Echo(v6, sequence, sent));
            return fd;
        } catch (IcmpCallException e) {
            closeQuietly(fd);
            throw failure(e);
        } catch (AttemptFailedException | RuntimeException e) {
            closeQuietly(fd);
            throw e;
        }
    }

    /** EACCES from socket() means the system forbids unprivileged ICMP: say which setting (read once, not per attempt). */
    private AttemptFailedException failure(IcmpCallException e) throws NoRoomException {
        if (e.errno() == IcmpConstants.EACCES && e.getMessage().startsWith("socket(")) {
            if (forbidden == null) {
                forbidden = Icmp.forbiddenText();
            }
            return new AttemptFailedException(Outcome.PERMISSION_DENIED, forbidden);
        }
        return OUTCOMES.failure(e.errno(), e.getMessage(), IcmpNative.strerror(e.errno()));
    }

    @Override
    public void poll(long timeoutNanos, ReadyHandler<Integer> ready) throws IcmpCallException {
        int count = inFlight.size() + 1;
        if (count > capacity) {
            capacity = Math.max(count, capacity * 2);
            pollfds = IcmpNative.allocate(POLLFD_SIZE * capacity);
            order = new int[capacity];
        }
        int i = 0;
        order[i] = wakeFd;
        putPollfd(i++, wakeFd);
        for (int fd : inFlight.keySet()) {
            order[i] = fd;
            putPollfd(i++, fd);
        }
        int millis = timeoutNanos < 0 ? -1 : timeoutNanos == 0 ? 0
                : (int) Math.min(Integer.MAX_VALUE, Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos + 999_999)));
        int n = nat.poll(pollfds, count, millis);
        if (n == 0) {
            return;
        }
        long now = System.nanoTime();
        for (int k = 0; k < count; k++) {
            short revents = pollfds.getShort((long) k * POLLFD_SIZE + 6);
            if (revents == 0) {
                continue;
            }
            if (order[k] == wakeFd) {
                nat.drain(wakeFd);
            } else {
                ready.ready(order[k], now);
            }
        }
    }

    private void putPollfd(int index, int fd) {
        long at = (long) index * POLLFD_SIZE;
        pollfds.putInt(at, fd);
        pollfds.putShort(at + 4, (short) (IcmpConstants.POLLIN | IcmpConstants.POLLERR));
        pollfds.putShort(at + 6, (short) 0);
    }

    @Override
    public AttemptResult finish(Integer connection, long startNanos, long readyNanos) {
        int fd = connection;
        Echo echo = inFlight.remove(fd);
        msg.reset();
        long n = nat.recvmsg(fd, msg.msghdr);
        long received = n >= 0 ? msg.receiveTimestampNanos() : -1;
        boolean isReply = n >= 0 && echo != null && EchoPacket.isReplyTo(msg.data, n, echo.v6, echo.sequence);
        closeQuietly(fd);
        if (n < 0) {
            int errno = (int) -n;
            return AttemptResult.failed(OUTCOMES.outcomeOf(errno), OUTCOMES.describe(errno, IcmpNative.strerror(errno)));
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
        closeQuietly(connection);
    }

    @Override
    public void wakeup() {
        wake.signal();
    }

    @Override
    public void close() {
        wake.close();
    }

    private void closeQuietly(int fd) {
        try {
            nat.close(fd);
        } catch (IcmpCallException e) {
            log.error("close({}) failed", fd, e);
        }
    }
}

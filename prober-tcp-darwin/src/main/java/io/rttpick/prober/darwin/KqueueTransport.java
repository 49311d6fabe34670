package io.rttpick.prober.darwin;

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
import io.rttpick.prober.spi.WakeupSignal;
import io.rttpick.prober.unix.NativeCallException;
import io.rttpick.prober.unix.UnixSystem;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes on Darwin with kqueue. Darwin has no TCP_QUICKACK, so the kernel completes the handshake
 * (SYN, SYN-ACK, ACK) before we can act; we close the instant kqueue reports the socket
 * writable, with SO_LINGER {1, 0}, so the server sees a connection reset at once (RST). Every
 * sample says so: handshake COMPLETED. Each socket has one EVFILT_WRITE event, EV_ONESHOT; a
 * user event (EVFILT_USER) wakes the wait.
 */
final class KqueueTransport implements Transport<Integer> {
    private static final Logger log = LoggerFactory.getLogger(KqueueTransport.class);
    static final int MAX_EVENTS = 1024;
    static final long WAKE_IDENT = 1;
    static final String DETAIL_KERNEL_RTTCUR_MILLIS = "kernelRttCurMillis";
    static final String DETAIL_KERNEL_SRTT_MILLIS = "kernelSrttMillis";
    static final String DETAIL_CLOSED_BY_PEER = "closedByPeer";
    /** The kernel's figure is whole milliseconds: a user-space time this far above it was delayed by us. */
    static final long USERSPACE_DELAYED_MICROS = 2_000;

    static {
        // out of descriptors, the JVM cannot open a jar to load a class: load what that path needs now
        Preload.classes(DarwinErrors.class, NativeCallException.class, NoRoomException.class, AttemptFailedException.class);
    }

    private final DarwinSystem system;
    private final int kq;
    private final WakeupSignal wake;
    // event-loop thread only
    private final KEvent[] events = new KEvent[MAX_EVENTS];
    private final KEvent[] change = {new KEvent()};
    private final Map<Integer, Integer> eofErrors = new HashMap<>();
    // any thread, under the wakeup's lock
    private final KEvent[] trigger = {new KEvent()};
    private static final KEvent[] NO_EVENTS = new KEvent[0];

    KqueueTransport(DarwinSystem system) throws NativeCallException {
        this.system = system;
        for (int i = 0; i < events.length; i++) {
            events[i] = new KEvent();
        }
        this.kq = system.kqueue();
        try {
            change[0].set(WAKE_IDENT, DarwinConstants.EVFILT_USER, DarwinConstants.EV_ADD | DarwinConstants.EV_CLEAR, 0);
            system.kevent(kq, change, 1, NO_EVENTS, 0);
        } catch (NativeCallException e) {
            closeQuietly(kq);
            throw e;
        }
        // the kqueue is its own wakeup: a user event, triggered; closing it closes the queue
        this.wake = new WakeupSignal("kqueue", () -> {
            trigger[0].set(WAKE_IDENT, DarwinConstants.EVFILT_USER, 0, DarwinConstants.NOTE_TRIGGER);
            system.kevent(kq, trigger, 1, NO_EVENTS, 0);
        }, () -> system.close(kq));
    }

    @Override
    public Integer connect(InetSocketAddress target, InetAddress localAddress, ConnectClock clock)
            throws AttemptFailedException, NoRoomException {
        int fd;
        try {
            fd = system.socket(UnixSystem.DARWIN.family(target.getAddress()));
        } catch (NativeCallException e) {
            throw DarwinErrors.failure(system, e);
        }
        try {
            system.setNonBlocking(fd);
            system.setIntOption(fd, DarwinConstants.SOL_SOCKET, DarwinConstants.SO_NOSIGPIPE, 1, "SO_NOSIGPIPE");
            system.setLingerZero(fd);
            if (localAddress != null) {
                bind(fd, localAddress);
            }
            clock.mark();
            system.connect(fd, target);
            // registered even when connected at once: the event then fires on the next wait
            change[0].set(fd, DarwinConstants.EVFILT_WRITE, DarwinConstants.EV_ADD | DarwinConstants.EV_ONESHOT, 0);
            system.kevent(kq, change, 1, NO_EVENTS, 0);
            return fd;
        } catch (NativeCallException e) {
            closeQuietly(fd);
            throw DarwinErrors.failure(system, e);
        } catch (AttemptFailedException | RuntimeException e) {
            closeQuietly(fd);
            throw e;
        }
    }

    /** A source address that cannot be bound is the caller's mistake, not a lack of room. */
    private void bind(int fd, InetAddress localAddress) throws AttemptFailedException {
        try {
            system.bind(fd, new InetSocketAddress(localAddress, 0));
        } catch (NativeCallException e) {
            throw new AttemptFailedException(Outcome.ERROR, "cannot bind local address "
                    + localAddress.getHostAddress() + ": " + system.strerror(e.errno()));
        }
    }

    @Override
    public void poll(long timeoutNanos, ReadyHandler<Integer> ready) throws NativeCallException {
        int n;
        try {
            n = system.kevent(kq, change, 0, events, timeoutNanos);
        } catch (NativeCallException e) {
            if (e.errno() == DarwinConstants.EINTR) {
                return; // a signal: the loop recomputes its deadlines and waits again
            }
            throw e;
        }
        long now = System.nanoTime();
        for (int i = 0; i < n; i++) {
            KEvent e = events[i];
            if (e.filter == DarwinConstants.EVFILT_USER) {
                continue; // the wakeup: nothing to hand over
            }
            int fd = (int) e.ident;
            if (e.has(DarwinConstants.EV_ERROR)) {
                // the registration failed after all; data holds its errno
                eofErrors.put(fd, (int) e.data);
            } else if (e.has(DarwinConstants.EV_EOF)) {
                // fflags holds the socket's error, or 0 when the peer closed after the handshake
                eofErrors.put(fd, e.fflags);
            }
            ready.ready(fd, now);
        }
    }

    @Override
    public AttemptResult finish(Integer connection, long startNanos, long readyNanos) {
        int fd = connection;
        Integer eof = eofErrors.remove(fd);
        int error;
        TcpConnectionInfo info = null;
        try {
            error = system.socketError(fd);
            if (error == 0 && eof != null) {
                error = eof;
            }
            if (error == 0) {
                info = system.connectionInfo(fd);
            }
        } catch (NativeCallException e) {
            closeQuietly(fd);
            return AttemptResult.failed(Outcome.ERROR, e.getMessage());
        }
        closeQuietly(fd); // at once: the handshake is complete, the server is waiting with a connection
        if (error != 0) {
            return AttemptResult.failed(DarwinErrors.outcomeOf(error), DarwinErrors.describe(system, error));
        }
        AttemptResult result = okResult(info, startNanos, readyNanos);
        if (eof != null) {
            result.detail(DETAIL_CLOSED_BY_PEER, true);
        }
        return result;
    }

    /**
     * The RTT: Darwin's kernel keeps it in whole milliseconds (tcpi_rttcur); our wakeup time has
     * microseconds but includes our own delays. The user-space time is used unless it is clearly
     * (2 ms) above the kernel's, which means the wakeup was late; the note says which and why.
     */
    static AttemptResult okResult(TcpConnectionInfo info, long startNanos, long readyNanos) {
        long userMicros = Math.max(0, (readyNanos - startNanos) / 1_000);
        boolean kernelKnows = info.hasRtt() && info.rttCurMillis > 0;
        boolean late = kernelKnows && userMicros > info.rttCurMillis * 1_000L + USERSPACE_DELAYED_MICROS;
        AttemptResult result;
        String note;
        if (late) {
            result = AttemptResult.ok(info.rttCurMillis * 1_000L, Timing.KERNEL, Handshake.COMPLETED);
            note = "the wakeup came " + (userMicros - info.rttCurMillis * 1_000L)
                    + " us after the kernel's tcpi_rttcur: the kernel's figure (1 ms resolution) is used";
        } else {
            result = AttemptResult.ok(userMicros, Timing.USERSPACE, Handshake.COMPLETED);
            note = kernelKnows
                    ? "agrees with the kernel's tcpi_rttcur of " + info.rttCurMillis
                            + " ms (1 ms resolution): the user-space time is kept for its microseconds"
                    : "TCP_CONNECTION_INFO gave no RTT (" + (info.hasRtt() ? "tcpi_rttcur 0" : info.length + " bytes")
                            + "): user-space time";
        }
        result.detail(RttSample.Details.TIMING_NOTE, note)
                .detail(RttSample.Details.USERSPACE_RTT_MICROS, userMicros)
                .detail(DETAIL_KERNEL_RTTCUR_MILLIS, info.rttCurMillis)
                .detail(DETAIL_KERNEL_SRTT_MILLIS, info.srttMillis);
        return result;
    }

    @Override
    public void abort(Integer connection) {
        eofErrors.remove(connection);
        closeQuietly(connection); // closing removes its kqueue event
    }

    @Override
    public void wakeup() {
        wake.signal();
    }

    @Override
    public void close() {
        // after the wakeup is closed no thread calls kevent any more: the system's buffers can go
        if (wake.close()) {
            system.release();
        }
    }

    private void closeQuietly(int fd) {
        try {
            system.close(fd);
        } catch (NativeCallException e) {
            // EBADF would mean a double close: a bug worth a loud log, never a silent one
            log.error("close({}) failed", fd, e);
        }
    }
}

package io.rttpick.prober.darwin;

import static io.rttpick.prober.darwin.DarwinConstants.EVFILT_USER;
import static io.rttpick.prober.darwin.DarwinConstants.EVFILT_WRITE;
import static io.rttpick.prober.darwin.DarwinConstants.EV_ADD;
import static io.rttpick.prober.darwin.DarwinConstants.EV_CLEAR;
import static io.rttpick.prober.darwin.DarwinConstants.EV_EOF;
import static io.rttpick.prober.darwin.DarwinConstants.EV_ONESHOT;
import static io.rttpick.prober.darwin.DarwinConstants.NOTE_TRIGGER;

import io.rttpick.prober.unix.NativeCallException;
import io.rttpick.prober.unix.UnixSystem;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Darwin's system calls as the kqueue prober sees them, simulated on any OS over java.nio, with
 * kqueue's semantics:
 * <ul>
 *   <li>a socket starts blocking: connect on one without O_NONBLOCK is a misuse;</li>
 *   <li>EVFILT_WRITE with EV_ONESHOT fires once when the connect has an answer, then is gone;
 *       a failed connect fires with EV_EOF and the socket's error in fflags, which SO_ERROR also
 *       returns (once: reading clears it);</li>
 *   <li>closing a descriptor removes its events; a second close is EBADF (and a misuse);</li>
 *   <li>EVFILT_USER with EV_CLEAR fires once per NOTE_TRIGGER, from any thread;</li>
 *   <li>a wait may end early with EINTR, a connect may return EINTR and go on in the
 *       background, socket() may fail with EMFILE: each injectable.</li>
 * </ul>
 * Real sockets underneath, so the contract tests' loopback servers answer for real.
 */
final class SimulatedDarwin implements DarwinSystem {
    private final AtomicInteger nextFd = new AtomicInteger(100);
    private final Map<Integer, Socket> sockets = new ConcurrentHashMap<>();
    private final Map<Integer, Queue> queues = new ConcurrentHashMap<>();
    private final List<String> misuses = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger closes = new AtomicInteger();

    // faults to inject, each used once per count
    final AtomicInteger interruptWaits = new AtomicInteger();
    final AtomicInteger interruptConnects = new AtomicInteger();
    final AtomicInteger socketsFailing = new AtomicInteger();
    volatile int socketFailureErrno = DarwinConstants.EMFILE;
    final AtomicInteger registrationsFailing = new AtomicInteger();
    /** Reported RTT for TCP_CONNECTION_INFO: the measured connect time, unless set (ms). */
    volatile int fixedRttCurMillis = -1;

    private static final class Socket {
        final int family;
        final SocketChannel channel;
        boolean nonBlocking;
        boolean noSigPipe;
        boolean lingerZero;
        int pendingError;
        long connectStartNanos;
        long connectedNanos;
        boolean connectedAtOnce;
        Queue watchedBy;

        Socket(int family, SocketChannel channel) {
            this.family = family;
            this.channel = channel;
        }
    }

    private static final class Queue {
        final Selector selector;
        final Set<Long> userEvents = ConcurrentHashMap.newKeySet();
        final AtomicBoolean triggered = new AtomicBoolean();
        /** Sockets registered after they had connected at once: they fire on the next wait. */
        final Deque<Integer> readyAtOnce = new ArrayDeque<>();

        Queue(Selector selector) {
            this.selector = selector;
        }
    }

    /** Calls that broke the system's rules (double close, connect while blocking, ...). */
    List<String> misuses() {
        synchronized (misuses) {
            return List.copyOf(misuses);
        }
    }

    /** Descriptors open now: sockets and kqueues. */
    int openDescriptors() {
        return sockets.size() + queues.size();
    }

    int closes() {
        return closes.get();
    }

    private NativeCallException error(String call, int errno) {
        return new NativeCallException(call, errno, UnixSystem.DARWIN.errnoName(errno), strerror(errno));
    }

    private Socket socket(String call, int fd) throws NativeCallException {
        Socket s = sockets.get(fd);
        if (s == null) {
            misuses.add(call + " on descriptor " + fd + ", which is not an open socket");
            throw error(call, DarwinConstants.EBADF);
        }
        return s;
    }

    @Override
    public int socket(int family) throws NativeCallException {
        if (family != DarwinConstants.AF_INET && family != DarwinConstants.AF_INET6) {
            misuses.add("socket with family " + family);
        }
        if (socketsFailing.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw error("socket", socketFailureErrno);
        }
        try {
            SocketChannel channel = SocketChannel.open();
            channel.configureBlocking(false); // the simulation's own; the caller's flag is checked below
            int fd = nextFd.getAndIncrement();
            sockets.put(fd, new Socket(family, channel));
            return fd;
        } catch (IOException e) {
            throw error("socket", DarwinConstants.EMFILE);
        }
    }

    @Override
    public void setNonBlocking(int fd) throws NativeCallException {
        socket("fcntl", fd).nonBlocking = true;
    }

    @Override
    public void setIntOption(int fd, int level, int option, int value, String name) throws NativeCallException {
        Socket s = socket("setsockopt", fd);
        if (level == DarwinConstants.SOL_SOCKET && option == DarwinConstants.SO_NOSIGPIPE) {
            s.noSigPipe = value != 0;
        } else {
            misuses.add("setsockopt(" + name + ") is not something the prober needs");
        }
    }

    @Override
    public void setLingerZero(int fd) throws NativeCallException {
        socket("setsockopt(SO_LINGER)", fd).lingerZero = true;
    }

    @Override
    public void bind(int fd, InetSocketAddress local) throws NativeCallException {
        try {
            socket("bind", fd).channel.bind(local);
        } catch (BindException e) {
            throw error("bind", DarwinConstants.EADDRNOTAVAIL);
        } catch (IOException e) {
            throw error("bind", jnr.constants.platform.darwin.Errno.EINVAL.intValue());
        }
    }

    @Override
    public boolean connect(int fd, InetSocketAddress target) throws NativeCallException {
        Socket s = socket("connect", fd);
        if (!s.nonBlocking) {
            misuses.add("connect on blocking socket " + fd + ": the event loop would stall");
        }
        if (!s.lingerZero || !s.noSigPipe) {
            misuses.add("connect on socket " + fd + " before SO_LINGER {1, 0} and SO_NOSIGPIPE were set");
        }
        boolean family6 = target.getAddress() instanceof java.net.Inet6Address;
        if (family6 != (s.family == DarwinConstants.AF_INET6)) {
            misuses.add("connect of a family " + s.family + " socket to " + target);
        }
        s.connectStartNanos = System.nanoTime();
        boolean done;
        try {
            done = s.channel.connect(target);
        } catch (IOException e) {
            throw error("connect", errnoOf(e));
        }
        if (done) {
            s.connectedNanos = System.nanoTime();
            s.connectedAtOnce = true;
        }
        if (interruptConnects.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            // Darwin: an interrupted connect goes on in the background; the caller sees EINTR
            return false;
        }
        return done;
    }

    @Override
    public int socketError(int fd) throws NativeCallException {
        Socket s = socket("getsockopt(SO_ERROR)", fd);
        int e = s.pendingError;
        s.pendingError = 0;
        return e;
    }

    @Override
    public TcpConnectionInfo connectionInfo(int fd) throws NativeCallException {
        Socket s = socket("getsockopt(TCP_CONNECTION_INFO)", fd);
        if (s.connectedNanos == 0) {
            misuses.add("TCP_CONNECTION_INFO read on socket " + fd + " before it connected");
        }
        int rtt = fixedRttCurMillis >= 0 ? fixedRttCurMillis : (int) ((s.connectedNanos - s.connectStartNanos) / 1_000_000);
        return new TcpConnectionInfo(TcpConnectionInfo.SIZE, rtt, rtt, 0);
    }

    @Override
    public void close(int fd) throws NativeCallException {
        closes.incrementAndGet();
        Queue q = queues.remove(fd);
        if (q != null) {
            try {
                q.selector.close();
            } catch (IOException ignored) {
                // the simulation's own selector
            }
            return;
        }
        Socket s = sockets.remove(fd);
        if (s == null) {
            misuses.add("close of descriptor " + fd + ", which is not open (a double close?)");
            throw error("close", DarwinConstants.EBADF);
        }
        if (s.watchedBy != null) {
            synchronized (s.watchedBy) {
                s.watchedBy.readyAtOnce.remove((Integer) fd);
            }
        }
        try {
            if (s.lingerZero && s.channel.isConnected()) {
                s.channel.setOption(StandardSocketOptions.SO_LINGER, 0); // close sends RST
            }
            s.channel.close(); // and its key leaves every selector: kqueue drops a closed fd's events
        } catch (IOException e) {
            misuses.add("close of " + fd + " failed in the simulation: " + e);
        }
    }

    @Override
    public int kqueue() throws NativeCallException {
        try {
            int fd = nextFd.getAndIncrement();
            queues.put(fd, new Queue(Selector.open()));
            return fd;
        } catch (IOException e) {
            throw error("kqueue", DarwinConstants.EMFILE);
        }
    }

    @Override
    public int kevent(int kq, KEvent[] changes, int nchanges, KEvent[] out, long timeoutNanos) throws NativeCallException {
        Queue q = queues.get(kq);
        if (q == null) {
            misuses.add("kevent on " + kq + ", which is not a kqueue");
            throw error("kevent", DarwinConstants.EBADF);
        }
        for (int i = 0; i < nchanges; i++) {
            apply(q, changes[i]);
        }
        if (out.length == 0) {
            return 0;
        }
        if (interruptWaits.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw error("kevent", DarwinConstants.EINTR);
        }
        try {
            boolean readyNow;
            synchronized (q) {
                readyNow = !q.readyAtOnce.isEmpty();
            }
            if (readyNow || q.triggered.get() || timeoutNanos == 0) {
                q.selector.selectNow();
            } else if (timeoutNanos < 0) {
                q.selector.select();
            } else {
                q.selector.select(Math.max(1, (timeoutNanos + 999_999) / 1_000_000));
            }
        } catch (IOException e) {
            throw error("kevent", DarwinConstants.EBADF);
        }
        int n = 0;
        synchronized (q) {
            while (n < out.length && !q.readyAtOnce.isEmpty()) {
                int fd = q.readyAtOnce.poll();
                out[n++].set(fd, EVFILT_WRITE, EV_ADD | EV_ONESHOT, 0);
            }
        }
        for (Iterator<SelectionKey> it = q.selector.selectedKeys().iterator(); it.hasNext() && n < out.length; ) {
            SelectionKey key = it.next();
            it.remove();
            int fd = (Integer) key.attachment();
            key.cancel(); // EV_ONESHOT: delivered once, then gone
            Socket s = sockets.get(fd);
            if (s == null) {
                continue;
            }
            KEvent e = out[n++].set(fd, EVFILT_WRITE, EV_ADD | EV_ONESHOT, 0);
            try {
                if (s.channel.finishConnect()) {
                    s.connectedNanos = System.nanoTime();
                }
            } catch (IOException failure) {
                s.pendingError = errnoOf(failure);
                e.flags |= EV_EOF;
                e.fflags = s.pendingError;
            }
        }
        if (n < out.length && q.triggered.getAndSet(false)) {
            out[n++].set(KqueueTransport.WAKE_IDENT, EVFILT_USER, EV_ADD | EV_CLEAR, NOTE_TRIGGER);
        }
        return n;
    }

    private void apply(Queue q, KEvent change) throws NativeCallException {
        if (change.filter == EVFILT_USER) {
            if ((change.flags & EV_ADD) != 0) {
                q.userEvents.add(change.ident);
            }
            if ((change.fflags & NOTE_TRIGGER) != 0) {
                if (!q.userEvents.contains(change.ident)) {
                    misuses.add("NOTE_TRIGGER of user event " + change.ident + ", never added");
                    throw error("kevent", jnr.constants.platform.darwin.Errno.ENOENT.intValue());
                }
                q.triggered.set(true);
                q.selector.wakeup();
            }
            return;
        }
        if (change.filter != EVFILT_WRITE) {
            misuses.add("kevent filter " + change.filter + " is not one the prober needs");
            return;
        }
        if ((change.flags & EV_ONESHOT) == 0) {
            misuses.add("EVFILT_WRITE without EV_ONESHOT: the event would fire again and again");
        }
        int fd = (int) change.ident;
        Socket s = socket("kevent(EVFILT_WRITE)", fd);
        if (registrationsFailing.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw error("kevent", DarwinConstants.ENOMEM);
        }
        s.watchedBy = q;
        if (s.connectedAtOnce) {
            synchronized (q) {
                q.readyAtOnce.add(fd);
            }
            return;
        }
        try {
            s.channel.register(q.selector, SelectionKey.OP_CONNECT, fd);
        } catch (IOException e) {
            throw error("kevent", DarwinConstants.EBADF);
        }
    }

    private static int errnoOf(IOException e) {
        if (e instanceof ConnectException) {
            String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
            return m.contains("timed out") ? DarwinConstants.ETIMEDOUT : DarwinConstants.ECONNREFUSED;
        }
        if (e instanceof NoRouteToHostException) {
            return DarwinConstants.EHOSTUNREACH;
        }
        String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if (m.contains("network is unreachable")) {
            return DarwinConstants.ENETUNREACH;
        }
        if (m.contains("permission denied") || m.contains("not permitted")) {
            return DarwinConstants.EACCES;
        }
        return DarwinConstants.ECONNRESET;
    }

    /** Darwin's texts for the errnos the simulation produces. */
    @Override
    public String strerror(int errno) {
        if (errno == DarwinConstants.ECONNREFUSED) {
            return "Connection refused";
        } else if (errno == DarwinConstants.ETIMEDOUT) {
            return "Operation timed out";
        } else if (errno == DarwinConstants.EHOSTUNREACH) {
            return "No route to host";
        } else if (errno == DarwinConstants.ENETUNREACH) {
            return "Network is unreachable";
        } else if (errno == DarwinConstants.EACCES) {
            return "Permission denied";
        } else if (errno == DarwinConstants.EMFILE) {
            return "Too many open files";
        } else if (errno == DarwinConstants.EADDRNOTAVAIL) {
            return "Can't assign requested address";
        } else if (errno == DarwinConstants.EINTR) {
            return "Interrupted system call";
        } else if (errno == DarwinConstants.EBADF) {
            return "Bad file descriptor";
        } else if (errno == DarwinConstants.ECONNRESET) {
            return "Connection reset by peer";
        } else if (errno == DarwinConstants.ENOMEM) {
            return "Cannot allocate memory";
        }
        return "Unknown error: " + errno;
    }
}

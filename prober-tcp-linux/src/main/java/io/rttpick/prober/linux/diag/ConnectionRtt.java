package io.rttpick.prober.linux.diag;

import io.rttpick.prober.ProberUnavailableException;
import io.rttpick.prober.spi.Availability;
import io.rttpick.prober.unix.LinuxSocketConstants;
import io.rttpick.prober.unix.Native;
import io.rttpick.prober.unix.NativeArena;
import io.rttpick.prober.unix.NativeCallException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import jnr.ffi.Pointer;

/**
 * The kernel's RTT of one of the app's own open TCP connections ({@code tcpi_rtt}, smoothed, and
 * {@code tcpi_min_rtt}, the least over the kernel's window), read through {@code sock_diag}: a
 * {@code NETLINK_INET_DIAG} query by the connection's addresses and ports. It needs neither the
 * socket's descriptor (no {@code --add-opens} on JDK 17) nor any privilege. Feed it to
 * {@code FleetSelector.observe(server, rtt, Observed.KERNEL_RTT)}. A connection is asked at most
 * once a second (a second read within it gives the same {@link Reading}), as Chrome reads its own
 * sockets' {@code tcpi_rtt}.
 *
 * <p>Linux only, and not on Android (JNR does not load there, and there is no public way to
 * read {@code TCP_INFO}): {@link #isAvailable()} says so, judged once by really asking the kernel.
 * Thread-safe; one netlink socket per instance, closed with it.
 */
public final class ConnectionRtt implements AutoCloseable {
    static final int AF_NETLINK = 16;
    static final int NETLINK_INET_DIAG = 4;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_DIAG_BY_FAMILY = 20;
    static final int NLM_F_REQUEST = 1;
    static final int NLMSG_ERROR = 2;
    static final int IPPROTO_TCP = 6;
    static final int INET_DIAG_INFO = 2;
    static final int REQUEST_BYTES = 16 + 56;
    static final int INET_DIAG_MSG_BYTES = 72;
    static final int TCPI_RTT = 68;
    static final int TCPI_MIN_RTT = 148;
    private static final long SECOND = 1_000_000_000L;
    private static final int MAX_CACHED = 1_024;

    private static final Availability AVAILABILITY = Availability.of("sock_diag", check(System.getProperty("os.name", ""),
            System.getProperty("java.vm.vendor", "")));

    /** The kernel's figures for one connection, at one moment. */
    public static final class Reading {
        private final long rttMicros;
        private final long minRttMicros;
        private final long atNanos;

        Reading(long rttMicros, long minRttMicros, long atNanos) {
            this.rttMicros = rttMicros;
            this.minRttMicros = minRttMicros;
            this.atNanos = atNanos;
        }

        /** {@code tcpi_rtt}: the smoothed RTT, in microseconds. */
        public long rttMicros() {
            return rttMicros;
        }

        /** {@code tcpi_min_rtt}: the least RTT over the kernel's window; -1 before Linux 4.6. */
        public long minRttMicros() {
            return minRttMicros;
        }

        /** When it was read ({@link System#nanoTime()}). */
        public long atNanos() {
            return atNanos;
        }

        @Override
        public String toString() {
            return "rtt " + rttMicros + " us, min " + minRttMicros + " us";
        }
    }

    private final int fd;
    private final NativeArena arena = new NativeArena();
    private final Pointer request;
    private final Pointer reply;
    private final LongSupplier clock;
    private final Map<String, Reading> lastRead = new HashMap<>();
    private int sequence;
    private boolean closed;

    private ConnectionRtt(int fd, LongSupplier clock) {
        this.fd = fd;
        this.clock = clock;
        this.request = arena.allocate(REQUEST_BYTES);
        this.reply = arena.allocate(8192);
    }

    public static boolean isAvailable() {
        return AVAILABILITY.isAvailable();
    }

    public static Optional<Throwable> unavailabilityCause() {
        return AVAILABILITY.cause();
    }

    /**
     * A reader with its own netlink socket.
     *
     * @throws ProberUnavailableException saying why when {@code sock_diag} cannot be used here
     */
    public static ConnectionRtt open() {
        AVAILABILITY.ensure();
        try {
            return new ConnectionRtt(socket(), System::nanoTime);
        } catch (NativeCallException e) {
            throw new ProberUnavailableException("sock_diag: " + e.getMessage(), e);
        }
    }

    private static int socket() throws NativeCallException {
        return Native.socket(AF_NETLINK, SOCK_DGRAM | LinuxSocketConstants.SOCK_NONBLOCK | LinuxSocketConstants.SOCK_CLOEXEC,
                NETLINK_INET_DIAG, "socket(NETLINK_INET_DIAG)");
    }

    /**
     * The kernel's figures for the TCP connection from {@code local} to {@code remote} (as the
     * app's socket has them: {@code getLocalAddress()}, {@code getRemoteAddress()}); empty when
     * there is no such connection (closed, or not TCP). At most one query a second per connection.
     *
     * @throws IllegalStateException when the reader is closed, or the kernel refuses the query
     */
    public synchronized Optional<Reading> read(InetSocketAddress local, InetSocketAddress remote) {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(remote, "remote");
        if (closed) {
            throw new IllegalStateException("the connection RTT reader is closed");
        }
        long now = clock.getAsLong();
        String key = local + ">" + remote;
        Reading cached = lastRead.get(key);
        if (cached != null && now - cached.atNanos < SECOND) {
            return Optional.of(cached);
        }
        Reading fresh = query(local, remote, now);
        if (fresh == null) {
            lastRead.remove(key);
            return Optional.empty();
        }
        if (lastRead.size() >= MAX_CACHED) {
            Iterator<Reading> it = lastRead.values().iterator();
            while (it.hasNext()) {
                if (now - it.next().atNanos >= SECOND) {
                    it.remove();
                }
            }
        }
        lastRead.put(key, fresh);
        return Optional.of(fresh);
    }

    private Reading query(InetSocketAddress local, InetSocketAddress remote, long now) {
        InetAddress l = local.getAddress();
        InetAddress r = remote.getAddress();
        boolean v4 = l instanceof Inet4Address || isMapped(l);
        encode(request, ++sequence, v4 ? LinuxSocketConstants.AF_INET : LinuxSocketConstants.AF_INET6, local.getPort(), raw(l, v4),
                remote.getPort(), raw(r, v4));
        try {
            Native.send(fd, request, REQUEST_BYTES, 0);
        } catch (NativeCallException e) {
            throw new IllegalStateException("sock_diag: " + e.getMessage(), e);
        }
        long n = Native.read(fd, reply, 8192);
        if (n < 0) {
            throw new IllegalStateException("sock_diag: no answer from the kernel (" + Native.strerror((int) -n) + ")");
        }
        return decode(reply, (int) n, now);
    }

    /** The address's bytes as the query has them: 4 for IPv4 (an IPv4-mapped IPv6 address too), else 16. */
    private static byte[] raw(InetAddress a, boolean v4) {
        byte[] b = a.getAddress();
        if (v4 && b.length == 16) {
            return new byte[] {b[12], b[13], b[14], b[15]};
        }
        return b;
    }

    private static boolean isMapped(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }

    /** nlmsghdr + inet_diag_req_v2 asking for one socket by its id, with its tcp_info. */
    static void encode(Pointer p, int seq, int family, int localPort, byte[] localAddress, int remotePort, byte[] remoteAddress) {
        p.setMemory(0, REQUEST_BYTES, (byte) 0);
        p.putInt(0, REQUEST_BYTES);
        p.putShort(4, (short) SOCK_DIAG_BY_FAMILY);
        p.putShort(6, (short) NLM_F_REQUEST);
        p.putInt(8, seq);
        p.putByte(16, (byte) family);
        p.putByte(17, (byte) IPPROTO_TCP);
        p.putByte(18, (byte) (1 << (INET_DIAG_INFO - 1)));
        p.putInt(20, -1); // every state
        // inet_diag_sockid: ports and addresses in network order, interface 0, no cookie
        p.putByte(24, (byte) (localPort >> 8));
        p.putByte(25, (byte) localPort);
        p.putByte(26, (byte) (remotePort >> 8));
        p.putByte(27, (byte) remotePort);
        p.put(28, localAddress, 0, localAddress.length);
        p.put(44, remoteAddress, 0, remoteAddress.length);
        p.putInt(64, -1);
        p.putInt(68, -1);
    }

    /** The reading in a reply; null for "no such socket". */
    static Reading decode(Pointer p, int length, long now) {
        if (length < 16) {
            throw new IllegalStateException("sock_diag: a reply of " + length + " bytes");
        }
        int type = p.getShort(4) & 0xffff;
        if (type == NLMSG_ERROR) {
            int errno = -p.getInt(16);
            if (errno == 2 /* ENOENT */) {
                return null;
            }
            throw new IllegalStateException("sock_diag: the kernel refused the query (" + Native.strerror(errno) + ")");
        }
        if (type != SOCK_DIAG_BY_FAMILY) {
            throw new IllegalStateException("sock_diag: a reply of type " + type);
        }
        int end = Math.min(length, p.getInt(0));
        int o = 16 + INET_DIAG_MSG_BYTES;
        while (o + 4 <= end) {
            int rtaLength = p.getShort(o) & 0xffff;
            int rtaType = p.getShort(o + 2) & 0xffff;
            if (rtaLength < 4) {
                break;
            }
            if (rtaType == INET_DIAG_INFO) {
                int info = rtaLength - 4;
                long rtt = info >= TCPI_RTT + 4 ? p.getInt(o + 4 + TCPI_RTT) & 0xffffffffL : -1;
                long minRtt = info >= TCPI_MIN_RTT + 4 ? p.getInt(o + 4 + TCPI_MIN_RTT) & 0xffffffffL : -1;
                return rtt < 0 ? null : new Reading(rtt, minRtt, now);
            }
            o += (rtaLength + 3) & ~3;
        }
        return null; // a socket with no tcp_info: not TCP, or not ours to read
    }

    /** Why sock_diag cannot be used on {@code osName} with {@code vmVendor}, or null when it can (really asking the kernel). */
    static Throwable check(String osName, String vmVendor) {
        if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return new ProberUnavailableException("sock_diag is Linux's (os.name is " + osName + ")");
        }
        if (vmVendor.toLowerCase(Locale.ROOT).contains("android")) {
            return new ProberUnavailableException("JNR does not run on Android's runtime, and Android has no public way to read"
                    + " TCP_INFO: report the app's own timings through FleetSelector.observe");
        }
        try {
            Native.load();
            try (ConnectionRtt probe = new ConnectionRtt(socket(), System::nanoTime)) {
                // a connection that cannot exist: the kernel must answer "no such socket"
                probe.read(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 1),
                        new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 1));
            }
            return null;
        } catch (Throwable t) {
            return new ProberUnavailableException("sock_diag: " + t, t);
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Native.closeQuietly(fd);
            arena.close();
        }
    }
}

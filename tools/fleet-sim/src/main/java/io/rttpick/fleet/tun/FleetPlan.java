package io.rttpick.fleet.tun;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** What each simulated server does with a SYN, by address (every port alike). */
public final class FleetPlan {

    /** How a server answers. */
    public enum Mode {
        /** SYN-ACK after the delay. */
        OPEN,
        /** RST after the delay: a closed port. */
        CLOSED,
        /** Nothing, ever. */
        BLACKHOLE,
        /** ICMP / ICMPv6 destination unreachable after the delay, with the plan's code. */
        UNREACHABLE,
        /** Drops the first SYN of each connection, answers its retransmission like OPEN. */
        LOSSY
    }

    /** Which destination-unreachable an UNREACHABLE server sends. */
    public enum Unreachable {
        PORT(3, 4), HOST(1, 3), ADMIN_PROHIBITED(13, 1);

        final int icmpCode;
        final int icmpv6Code;

        Unreachable(int icmpCode, int icmpv6Code) {
            this.icmpCode = icmpCode;
            this.icmpv6Code = icmpv6Code;
        }
    }

    /** One simulated server. */
    public static final class Server {
        public final String name;
        public final InetAddress address;
        public final Mode mode;
        public final Duration delay;
        public final Duration jitter;
        public final Unreachable unreachable;

        Server(String name, InetAddress address, Mode mode, Duration delay, Duration jitter, Unreachable unreachable) {
            this.name = Objects.requireNonNull(name);
            this.address = Objects.requireNonNull(address);
            this.mode = Objects.requireNonNull(mode);
            if (delay.isNegative() || jitter.isNegative()) {
                throw new IllegalArgumentException("server " + name + " (" + address.getHostAddress()
                        + "): negative delay or jitter");
            }
            this.delay = delay;
            this.jitter = jitter;
            this.unreachable = unreachable;
        }

        @Override
        public String toString() {
            return name + " " + address.getHostAddress() + " " + mode + " " + delay.toMillis() + " ms";
        }
    }

    // read by the fleet's thread while a test may change a server
    private final Map<InetAddress, Server> byAddress = new ConcurrentHashMap<>();
    private final List<Server> servers = new CopyOnWriteArrayList<>();

    private volatile boolean keepConnections;

    /**
     * Whether a completed handshake is kept until the client closes it (then reset), instead of
     * reset at once: for clients that must see their connect succeed, such as blackbox_exporter,
     * whose connect fails with "connection reset by peer" when the reset beats its check.
     */
    public FleetPlan keepConnections(boolean keep) {
        this.keepConnections = keep;
        return this;
    }

    public boolean keepsConnections() {
        return keepConnections;
    }

    public FleetPlan add(String name, String address, Mode mode, Duration delay) {
        return add(name, address, mode, delay, Duration.ZERO, Unreachable.PORT);
    }

    public synchronized FleetPlan add(String name, String address, Mode mode, Duration delay, Duration jitter, Unreachable code) {
        InetAddress ip = literal(address);
        if (!routed(ip)) {
            throw new IllegalArgumentException("server " + name + ": address " + address + " is outside the fleet's ranges, "
                    + RANGES + " (only those are routed to the fleet's device)");
        }
        Server s = new Server(name, ip, mode, delay, jitter, code);
        if (byAddress.putIfAbsent(ip, s) != null) {
            throw new IllegalArgumentException("server " + name + ": address " + address + " is planned twice");
        }
        servers.add(s);
        return this;
    }

    /**
     * Changes how a planned server answers from now on (a server that moves further away, or
     * goes down), for tests of what a client does about it. Connections already answered keep
     * their record.
     */
    public synchronized FleetPlan change(String address, Mode mode, Duration delay, Duration jitter) {
        InetAddress ip = literal(address);
        Server old = byAddress.get(ip);
        if (old == null) {
            throw new IllegalArgumentException("address " + address + " is not in the plan");
        }
        Server s = new Server(old.name, ip, mode, delay, jitter, old.unreachable);
        servers.set(servers.indexOf(old), s);
        byAddress.put(ip, s);
        return this;
    }

    /** Amsterdam 29 ms, Iowa 127 ms, Hong Kong 279 ms and a dead server, as the README tells it. */
    public static FleetPlan seed() {
        return new FleetPlan()
                .add("Amsterdam", "198.18.0.29", Mode.OPEN, Duration.ofMillis(29))
                .add("Iowa", "198.18.1.27", Mode.OPEN, Duration.ofMillis(127))
                .add("Hong Kong", "198.18.2.79", Mode.OPEN, Duration.ofMillis(279))
                .add("dead", "198.18.3.1", Mode.BLACKHOLE, Duration.ZERO);
    }

    public Server find(InetAddress address) {
        return byAddress.get(address);
    }

    public List<Server> servers() {
        return List.copyOf(servers);
    }

    /** Where plan addresses must be: what netns-run routes to the fleet's TUN device. */
    public static final String RANGES = "198.18.0.0/16 and 2001:db8:1::/48";

    /** Whether {@code ip} is in {@link #RANGES}. */
    static boolean routed(InetAddress ip) {
        byte[] b = ip.getAddress();
        if (b.length == 4) {
            return (b[0] & 0xff) == 198 && (b[1] & 0xff) == 18;
        }
        return (b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8
                && b[4] == 0 && b[5] == 1;
    }

    private static InetAddress literal(String address) {
        if (!address.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("'" + address + "' is not an IP address");
        }
        try {
            return InetAddress.getByName(address); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + address + "' is not an IP address", e);
        }
    }
}

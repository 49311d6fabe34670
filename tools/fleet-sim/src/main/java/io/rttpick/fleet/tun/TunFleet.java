package io.rttpick.fleet.tun;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated server fleet behind a TUN device: every packet the kernel routes to the device
 * comes here, and each planned address answers as its plan says, after its delay. Meant to run
 * inside a network namespace that the test run made (see {@code fleet-sim/netns-java}); it
 * answers only for planned addresses and sends nothing anywhere but back into the device.
 */
public final class TunFleet implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TunFleet.class);

    /** Within this of an answer's due time the fleet's thread stops sleeping and polls the device in a spin. */
    private static final long SPIN_NANOS = 300_000;

    private final FleetPlan plan;
    private final TunDevice device;
    /** Fleet thread only, like everything it reads and answers. */
    private final DelayLine delayLine;
    private final Thread thread;
    /** ISNs and jitter: fleet thread only. Not SecureRandom: its first use can stall for milliseconds. */
    private final SplittableRandom random = new SplittableRandom();
    private final FleetPlan.Server warmUpServer;
    private final Map<String, ConnectionRecord> records = new ConcurrentHashMap<>();
    /** Delays set while the fleet runs ({@link #delay}), by server address. */
    private final Map<InetAddress, Long> delayOverrides = new ConcurrentHashMap<>();
    private final List<ConnectionRecord> order = Collections.synchronizedList(new ArrayList<>());
    private final List<ConnectionRecord> echoes = Collections.synchronizedList(new ArrayList<>());
    /** Client and server pairs a LOSSY server has dropped an echo of (fleet thread only). */
    private final Set<String> echoedBefore = new HashSet<>();
    private volatile boolean closed;

    private TunFleet(FleetPlan plan, String device) throws IOException {
        this.plan = Objects.requireNonNull(plan);
        this.warmUpServer = new FleetPlan.Server("warm-up", InetAddress.getByAddress(new byte[] {(byte) 198, 18, (byte) 255, (byte) 254}),
                FleetPlan.Mode.OPEN, Duration.ZERO, Duration.ZERO, FleetPlan.Unreachable.PORT);
        this.device = new TunDevice(device);
        this.delayLine = new DelayLine(this::send);
        this.thread = new Thread(this::run, "fleet-" + device);
        thread.setDaemon(true);
        thread.start();
    }

    /** Attaches to the TUN device {@code device} (made and routed by the caller) and starts answering. */
    public static TunFleet start(FleetPlan plan, String device) throws IOException {
        TunFleet fleet = new TunFleet(plan, device);
        fleet.warmUp();
        return fleet;
    }

    /**
     * Sends a few hundred real connects through the whole path (read, plan, answer, delay line,
     * write) before the first probe, so that the first answers are not late by class loading and
     * compilation. They go to a warm-up server of our own, 198.18.255.254, not in any plan and
     * not in the records.
     */
    private void warmUp() throws IOException {
        List<SocketChannel> channels = new ArrayList<>();
        try {
            InetSocketAddress target = new InetSocketAddress(warmUpServer.address, 9);
            for (int i = 0; i < 200; i++) {
                SocketChannel c = SocketChannel.open();
                channels.add(c);
                c.configureBlocking(false);
                c.connect(target);
            }
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            for (SocketChannel c : channels) {
                while (System.nanoTime() < end) {
                    try {
                        if (c.finishConnect()) {
                            break;
                        }
                    } catch (IOException reset) {
                        break;
                    }
                    Thread.onSpinWait();
                }
            }
        } finally {
            for (SocketChannel c : channels) {
                c.close();
            }
        }
    }

    public FleetPlan plan() {
        return plan;
    }

    /** Every connection seen so far, in arrival order. */
    public List<ConnectionRecord> records() {
        synchronized (order) {
            return List.copyOf(order);
        }
    }

    /** Every ICMP echo request seen so far, in arrival order ({@code clientPort} is the echo identifier). */
    public List<ConnectionRecord> echoes() {
        synchronized (echoes) {
            return List.copyOf(echoes);
        }
    }

    /** The connections seen to one server. */
    public List<ConnectionRecord> records(InetAddress server) {
        List<ConnectionRecord> out = new ArrayList<>();
        for (ConnectionRecord r : records()) {
            if (r.server.address.equals(server)) {
                out.add(r);
            }
        }
        return out;
    }

    private void send(byte[] packet) {
        try {
            device.write(packet);
        } catch (IOException e) {
            log.warn("fleet: cannot write a packet", e);
        }
    }

    /**
     * The fleet's one thread: reads what the client sends and sends the answers that are due.
     * Far from the next due time it sleeps in poll(2); close to it, it polls without waiting and
     * spins, so an answer leaves within microseconds of its time and a SYN is read as it comes.
     * One thread (real-time, on a CPU of its own where there are two, which the process's other
     * threads keep off while it runs) keeps the fleet off the prober's CPU and the prober off the
     * fleet's: real servers do not share the client's.
     */
    private void run() {
        RealtimeThreads.makeCurrentRealtime();
        RealtimeThreads.keepOtherThreadsOffFleetCpu(true);
        try {
            serve();
        } finally {
            RealtimeThreads.keepOtherThreadsOffFleetCpu(false);
        }
    }

    private void serve() {
        byte[] buffer = new byte[65536];
        while (!closed) {
            delayLine.sendDue();
            long wait = delayLine.nanosUntilNext(System.nanoTime());
            int timeoutMillis = wait < 0 ? 100 : (int) Math.min(100, Math.max(0, wait - SPIN_NANOS) / 1_000_000);
            int n;
            try {
                n = device.read(buffer, timeoutMillis);
            } catch (IOException e) {
                if (!closed) {
                    log.error("fleet: reading the TUN device failed", e);
                }
                return;
            }
            if (n > 0) {
                long now = System.nanoTime();
                try {
                    handle(Arrays.copyOf(buffer, n), n, now);
                } catch (RuntimeException e) {
                    log.warn("fleet: cannot handle a packet of {} bytes", n, e);
                }
            } else if (timeoutMillis == 0) {
                Thread.onSpinWait();
            }
        }
    }

    private void handle(byte[] packet, int length, long now) {
        Packets.Ip ip = Packets.parseIp(packet, length);
        if (ip == null) {
            return;
        }
        FleetPlan.Server server = plan.find(ip.destination);
        if (server == null && ip.destination.equals(warmUpServer.address)) {
            server = warmUpServer;
        }
        if (server == null) {
            return; // not ours: nothing answers, as on a real network with no such host
        }
        if (Packets.isEchoRequest(ip)) {
            onEcho(ip, server, now);
            return;
        }
        Packets.Tcp tcp = Packets.parseTcp(ip);
        if (tcp == null) {
            return;
        }
        String key = ip.source.getHostAddress() + "|" + tcp.sourcePort + "|" + server.address.getHostAddress() + "|" + tcp.destinationPort;
        if (tcp.is(Packets.SYN) && !tcp.is(Packets.ACK)) {
            FleetPlan.Server planned = server;
            ConnectionRecord record = records.computeIfAbsent(key, k -> {
                ConnectionRecord r = new ConnectionRecord(ip.source, tcp.sourcePort, planned, tcp.destinationPort,
                        random.nextInt() & 0xffffffffL);
                if (planned != warmUpServer) {
                    order.add(r);
                }
                return r;
            });
            onSyn(ip, tcp, server, record, now);
            return;
        }
        ConnectionRecord record = records.get(key);
        if (record == null) {
            return;
        }
        int data = Packets.tcpPayloadLength(ip);
        if (tcp.is(Packets.RST)) {
            record.clientReplied(ConnectionRecord.ClientReply.RST);
        } else if (tcp.is(Packets.ACK) && data > 0 && plan.keepsConnections() && !tcp.is(Packets.FIN)) {
            // a kept connection carries data: acknowledged after the server's delay, as a real server's
            // ACK comes one RTT later (the client's kernel takes its RTT samples from these)
            byte[] ack = Packets.tcp(server.address, tcp.destinationPort, ip.source, tcp.sourcePort, (record.isn + 1) & 0xffffffffL,
                    (tcp.seq + data) & 0xffffffffL, Packets.ACK);
            delayLine.at(now + delayNanos(server), ack, sentAt -> { });
        } else if (tcp.is(Packets.ACK)) {
            record.clientReplied(ConnectionRecord.ClientReply.ACK);
            boolean closing = tcp.is(Packets.FIN);
            if (plan.keepsConnections() ? closing : !closing) {
                // a completed handshake is reset at once (there is no server behind us), or, where the
                // plan keeps connections (a client that must see its connect succeed), when the client closes it
                send(Packets.tcp(server.address, tcp.destinationPort, ip.source, tcp.sourcePort, tcp.ack, 0, Packets.RST));
            }
        }
    }

    private void onSyn(Packets.Ip ip, Packets.Tcp tcp, FleetPlan.Server server, ConnectionRecord record, long now) {
        int syns = record.synArrived(now);
        byte[] answer;
        switch (server.mode) {
            case LOSSY:
                if (syns == 1) {
                    return; // the first SYN is lost; its retransmission is answered
                }
                // fall through: answered like OPEN
            case OPEN:
                answer = synAck(ip, tcp, server, record);
                break;
            case CLOSED:
                answer = Packets.tcp(server.address, tcp.destinationPort, ip.source, tcp.sourcePort, 0,
                        (tcp.seq + 1) & 0xffffffffL, Packets.RST | Packets.ACK);
                break;
            case UNREACHABLE:
                answer = unreachable(ip, server);
                break;
            default:
                return; // BLACKHOLE
        }
        answerAfterDelay(record, server, now, answer);
    }

    /**
     * An echo request, by the server's mode: OPEN and CLOSED answer it (the host is up; ICMP has
     * no port), UNREACHABLE sends its destination-unreachable instead, BLACKHOLE nothing, and
     * LOSSY drops the first echo a client sends it (ICMP has no retransmission: that attempt is lost).
     */
    private void onEcho(Packets.Ip ip, FleetPlan.Server server, long now) {
        ConnectionRecord record = new ConnectionRecord(ip.source, Packets.echoIdentifier(ip), server, 0, 0);
        record.synArrived(now);
        if (server != warmUpServer) {
            echoes.add(record);
        }
        byte[] answer;
        switch (server.mode) {
            case LOSSY:
                if (echoedBefore.add(ip.source.getHostAddress() + "|" + server.address.getHostAddress())) {
                    return;
                }
                // fall through: answered like OPEN
            case OPEN:
            case CLOSED:
                answer = Packets.echoReply(ip);
                break;
            case UNREACHABLE:
                answer = unreachable(ip, server);
                break;
            default:
                return; // BLACKHOLE
        }
        answerAfterDelay(record, server, now, answer);
    }

    /** The plan's destination-unreachable for this packet, ICMP or ICMPv6 as it came. */
    private static byte[] unreachable(Packets.Ip ip, FleetPlan.Server server) {
        return Packets.unreachable(ip, server.address, ip.version == 4 ? server.unreachable.icmpCode : server.unreachable.icmpv6Code);
    }

    /** Sends {@code answer} after the server's delay, noting in the record when it was due and when it left. */
    private void answerAfterDelay(ConnectionRecord record, FleetPlan.Server server, long now, byte[] answer) {
        long due = now + delayNanos(server);
        record.answerPlanned(now, due);
        delayLine.at(due, answer, record::answerSent);
    }

    private static byte[] synAck(Packets.Ip ip, Packets.Tcp tcp, FleetPlan.Server server, ConnectionRecord record) {
        return Packets.tcp(server.address, tcp.destinationPort, ip.source, tcp.sourcePort, record.isn,
                (tcp.seq + 1) & 0xffffffffL, Packets.SYN | Packets.ACK);
    }

    /**
     * From now on {@code server} answers after {@code delay} (plus its jitter), instead of its
     * plan's: a route that got longer, for tests of a live connection's RTT.
     */
    public void delay(InetAddress server, Duration delay) {
        delayOverrides.put(server, delay.toNanos());
    }

    private long delayNanos(FleetPlan.Server server) {
        Long override = delayOverrides.get(server.address);
        long delay = override != null ? override : server.delay.toNanos();
        long jitter = server.jitter.toNanos();
        if (jitter > 0) {
            delay += (long) ((random.nextDouble() * 2 - 1) * jitter);
        }
        return Math.max(0, delay);
    }

    @Override
    public void close() {
        closed = true;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        device.close();
    }
}

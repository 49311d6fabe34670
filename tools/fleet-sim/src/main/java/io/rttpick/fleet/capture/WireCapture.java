package io.rttpick.fleet.capture;

import io.rttpick.fleet.tun.Packets;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The client's own wire, as the truth for RTTs: tcpdump on the fleet's TUN device inside the
 * namespace, SYN out to SYN-ACK in, the same instants the kernel's TCP stack sees.
 */
public final class WireCapture implements AutoCloseable {
    private final Process tcpdump;
    private final Path file;

    private WireCapture(Process tcpdump, Path file) {
        this.tcpdump = tcpdump;
        this.file = file;
    }

    /**
     * Starts tcpdump on {@code device}; returns once it is capturing. At the lowest priority and
     * writing in blocks, not a write per packet: its copying then waits for idle CPU instead of
     * taking the prober's (its 64 MB buffer holds a whole run). Its timestamps do not wait: the
     * kernel takes them as each packet passes the device.
     */
    public static WireCapture start(String device) throws IOException {
        Path file = Files.createTempFile("rttpick-wire-", ".pcap");
        Process p = new ProcessBuilder("nice", "-n", "19", "tcpdump", "-i", device, "-n", "-s", "128", "-B", "65536",
                "--time-stamp-precision=nano", "-w", file.toString(), "tcp")
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.contains("listening on")) {
                Thread drain = new Thread(() -> {
                    try {
                        out.lines().forEach(l -> { });
                    } catch (UncheckedIOException closed) {
                        // tcpdump ended: nothing more to drain
                    }
                }, "tcpdump-output");
                drain.setDaemon(true);
                drain.start();
                return new WireCapture(p, file);
            }
        }
        throw new IOException("tcpdump did not start (is it installed? apt-get install tcpdump)");
    }

    /** One connection as the wire saw it. */
    public static final class Connection {
        public long synNanos = -1;
        public long synAckNanos = -1;
        public int syns;
        /** Packet the client sent after the SYN-ACK: RST, ACK or none. */
        public String reply = "NONE";

        /** SYN (the first) out to SYN-ACK in, microseconds; -1 when there was no SYN-ACK. */
        public long rttMicros() {
            return synNanos < 0 || synAckNanos < 0 ? -1 : (synAckNanos - synNanos) / 1_000;
        }
    }

    /**
     * The connections to one server address and port. A benchmark that gives each run its own
     * port finds exactly one per server this way, without knowing the client's port.
     */
    public static Map<String, List<Connection>> byServer(Map<String, Connection> connections) {
        Map<String, List<Connection>> out = new HashMap<>();
        connections.forEach((k, c) -> {
            String server = k.substring(0, k.lastIndexOf('|'));
            out.computeIfAbsent(server, x -> new ArrayList<>()).add(c);
        });
        return out;
    }

    /** Key of {@link #byServer}: server address and port. */
    public static String serverKey(InetAddress server, int serverPort) {
        return server.getHostAddress() + "|" + serverPort;
    }

    /** Key of a connection: server address and port, and the client's port. */
    public static String key(InetAddress server, int serverPort, int clientPort) {
        return server.getHostAddress() + "|" + serverPort + "|" + clientPort;
    }

    /** Stops capturing and reads what was seen, by {@link #key}. */
    public Map<String, Connection> stop() throws IOException, InterruptedException {
        // tcpdump hands packets over a block at a time, a block at the latest 1 s after its first
        // packet, and loses an unfinished block when stopped: wait that out (measured: a 0.3 s
        // wait lost every packet of a bench run shorter than a second)
        Thread.sleep(1_300);
        tcpdump.destroy();
        if (!tcpdump.waitFor(5, TimeUnit.SECONDS)) {
            tcpdump.destroyForcibly();
        }
        return connections(Pcap.read(file));
    }

    static Map<String, Connection> connections(List<Pcap.Packet> packets) {
        Map<String, Connection> byKey = new HashMap<>();
        for (Pcap.Packet p : packets) {
            Packets.Ip ip = Packets.parseIp(p.data, p.data.length);
            Packets.Tcp tcp = ip == null ? null : Packets.parseTcp(ip);
            if (tcp == null) {
                continue;
            }
            boolean fromServer = tcp.is(Packets.SYN) && tcp.is(Packets.ACK);
            if (fromServer) {
                Connection c = byKey.get(key(ip.source, tcp.sourcePort, tcp.destinationPort));
                if (c != null && c.synAckNanos < 0) {
                    c.synAckNanos = p.timestampNanos;
                }
                continue;
            }
            String k = key(ip.destination, tcp.destinationPort, tcp.sourcePort);
            if (tcp.is(Packets.SYN)) {
                Connection c = byKey.computeIfAbsent(k, x -> new Connection());
                if (c.synNanos < 0) {
                    c.synNanos = p.timestampNanos;
                }
                c.syns++;
            } else {
                Connection c = byKey.get(k);
                if (c != null && c.synAckNanos >= 0 && c.reply.equals("NONE")) {
                    c.reply = tcp.is(Packets.RST) ? "RST" : tcp.is(Packets.ACK) ? "ACK" : "NONE";
                }
            }
        }
        return byKey;
    }

    @Override
    public void close() throws IOException {
        tcpdump.destroyForcibly();
        Files.deleteIfExists(file);
    }
}

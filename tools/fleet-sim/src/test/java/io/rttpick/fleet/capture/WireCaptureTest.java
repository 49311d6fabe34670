package io.rttpick.fleet.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rttpick.fleet.tun.Packets;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WireCaptureTest {
    private static byte[] record(long nanos, byte[] packet) {
        ByteBuffer b = ByteBuffer.allocate(16 + packet.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt((int) (nanos / 1_000_000_000L)).putInt((int) (nanos % 1_000_000_000L)).putInt(packet.length).putInt(packet.length);
        b.put(packet);
        return b.array();
    }

    @Test
    void synToSynAckOnTheWireIsTheTruth(@TempDir Path dir) throws Exception {
        InetAddress client = InetAddress.getByName("198.19.0.1");
        InetAddress server = InetAddress.getByName("198.18.0.29");
        ByteArrayOutputStream pcap = new ByteArrayOutputStream();
        ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0xa1b23c4d).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(101);
        pcap.write(header.array());
        pcap.write(record(1_000_000_000L, Packets.tcp(client, 50000, server, 993, 7, 0, Packets.SYN)));
        pcap.write(record(1_029_000_123L, Packets.tcp(server, 993, client, 50000, 99, 8, Packets.SYN | Packets.ACK)));
        pcap.write(record(1_029_040_000L, Packets.tcp(client, 50000, server, 993, 8, 0, Packets.RST)));
        Path file = dir.resolve("wire.pcap");
        Files.write(file, pcap.toByteArray());

        List<Pcap.Packet> packets = Pcap.read(file);
        assertEquals(3, packets.size());
        Map<String, WireCapture.Connection> connections = WireCapture.connections(packets);
        WireCapture.Connection c = connections.get(WireCapture.key(server, 993, 50000));
        assertEquals(29_000, c.rttMicros());
        assertEquals("RST", c.reply);
        assertEquals(1, c.syns);
        assertEquals(1, WireCapture.byServer(connections).get(WireCapture.serverKey(server, 993)).size());
    }
}

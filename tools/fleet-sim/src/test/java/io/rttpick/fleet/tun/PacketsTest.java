package io.rttpick.fleet.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PacketsTest {
    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void synAckRoundTripsWithValidChecksums() throws Exception {
        byte[] p = Packets.tcp(ip("198.18.0.29"), 443, ip("198.19.0.1"), 50000, 1234, 5678, Packets.SYN | Packets.ACK);
        Packets.Ip parsed = Packets.parseIp(p, p.length);
        assertEquals(4, parsed.version);
        assertEquals(0, Packets.checksum(p, 0, 20, 0), "IPv4 header checksum");
        assertEquals(0, Packets.transportChecksum(p, 20, p.length - 20, parsed.source, parsed.destination, Packets.PROTO_TCP),
                "TCP checksum verifies to 0");
        Packets.Tcp tcp = Packets.parseTcp(parsed);
        assertEquals(443, tcp.sourcePort);
        assertEquals(50000, tcp.destinationPort);
        assertEquals(1234, tcp.seq);
        assertEquals(5678, tcp.ack);
        assertTrue(tcp.is(Packets.SYN) && tcp.is(Packets.ACK) && !tcp.is(Packets.RST));
    }

    @Test
    void ipv6SegmentsToo() throws Exception {
        byte[] p = Packets.tcp(ip("2001:db8:1::10"), 443, ip("2001:db8:ffff::1"), 40000, 0xfffffffeL, 1, Packets.RST | Packets.ACK);
        Packets.Ip parsed = Packets.parseIp(p, p.length);
        assertEquals(6, parsed.version);
        assertEquals(0, Packets.transportChecksum(p, 40, p.length - 40, parsed.source, parsed.destination, Packets.PROTO_TCP));
        assertEquals(0xfffffffeL, Packets.parseTcp(parsed).seq);
    }

    @Test
    void unreachableQuotesTheOriginalHeaderAndPorts() throws Exception {
        byte[] syn = Packets.tcp(ip("198.19.0.1"), 50000, ip("198.18.10.5"), 80, 1, 0, Packets.SYN);
        Packets.Ip original = Packets.parseIp(syn, syn.length);
        byte[] icmp = Packets.unreachable(original, ip("198.18.10.5"), 3);
        Packets.Ip parsed = Packets.parseIp(icmp, icmp.length);
        assertEquals(Packets.PROTO_ICMP, parsed.protocol);
        assertEquals(3, icmp[20]);
        assertEquals(3, icmp[21]);
        assertEquals(0, Packets.checksum(icmp, 20, icmp.length - 20, 0));
        assertEquals(8 + 20 + 8, parsed.payloadLength(), "type/code/checksum/unused, IP header, 8 bytes of TCP");
    }

    @Test
    void malformedPacketsAreIgnored() {
        assertNull(Packets.parseIp(new byte[] {0x45, 0, 0}, 3));
        assertNull(Packets.parseIp(new byte[40], 40));
    }

    @Test
    void badPlansNameTheEntry() {
        FleetPlan plan = new FleetPlan().add("a", "198.18.0.1", FleetPlan.Mode.OPEN, Duration.ofMillis(1));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> plan.add("b", "198.18.0.1", FleetPlan.Mode.OPEN, Duration.ZERO)).getMessage().contains("server b"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> plan.add("c", "mail.example.org", FleetPlan.Mode.OPEN, Duration.ZERO)).getMessage().contains("mail.example.org"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> plan.add("d", "198.18.0.4", FleetPlan.Mode.OPEN, Duration.ofMillis(-1))).getMessage().contains("server d"));
    }
}

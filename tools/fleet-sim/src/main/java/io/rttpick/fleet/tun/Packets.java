package io.rttpick.fleet.tun;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Reads and writes the few IPv4/IPv6 packets the fleet deals in: TCP segments (SYN, SYN-ACK,
 * RST, ACK) and ICMP / ICMPv6 destination unreachable and echo. Raw IP, as a TUN device
 * without packet information carries it.
 */
public final class Packets {
    public static final int PROTO_TCP = 6;
    public static final int PROTO_ICMP = 1;
    public static final int PROTO_ICMPV6 = 58;
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;

    private static final int IPV4_HEADER = 20;
    private static final int IPV6_HEADER = 40;

    private Packets() {
    }

    /** A parsed IP packet: addresses, protocol, and where its payload starts. */
    public static final class Ip {
        public final int version;
        public final InetAddress source;
        public final InetAddress destination;
        public final int protocol;
        public final byte[] packet;
        public final int payloadOffset;
        public final int length;

        private Ip(int version, InetAddress source, InetAddress destination, int protocol, byte[] packet,
                   int payloadOffset, int length) {
            this.version = version;
            this.source = source;
            this.destination = destination;
            this.protocol = protocol;
            this.packet = packet;
            this.payloadOffset = payloadOffset;
            this.length = length;
        }

        public int payloadLength() {
            return length - payloadOffset;
        }
    }

    /** A TCP segment's header fields. */
    public static final class Tcp {
        public final int sourcePort;
        public final int destinationPort;
        public final long seq;
        public final long ack;
        public final int flags;

        Tcp(int sourcePort, int destinationPort, long seq, long ack, int flags) {
            this.sourcePort = sourcePort;
            this.destinationPort = destinationPort;
            this.seq = seq;
            this.ack = ack;
            this.flags = flags;
        }

        public boolean is(int flag) {
            return (flags & flag) != 0;
        }
    }

    /** Parses an IPv4 or IPv6 packet; null for anything else or anything malformed. */
    public static Ip parseIp(byte[] p, int length) {
        if (length < 1) {
            return null;
        }
        int version = (p[0] & 0xff) >>> 4;
        if (version == 4 && length >= IPV4_HEADER) {
            int ihl = (p[0] & 0x0f) * 4;
            int total = u16(p, 2);
            if (ihl < IPV4_HEADER || total > length || total < ihl) {
                return null;
            }
            return new Ip(4, address(p, 12, 4), address(p, 16, 4), p[9] & 0xff, p, ihl, total);
        }
        if (version == 6 && length >= IPV6_HEADER) {
            int total = IPV6_HEADER + u16(p, 4);
            if (total > length) {
                return null;
            }
            // extension headers are not expected from our own clients: take the next header as is
            return new Ip(6, address(p, 8, 16), address(p, 24, 16), p[6] & 0xff, p, IPV6_HEADER, total);
        }
        return null;
    }

    public static Tcp parseTcp(Ip ip) {
        if (ip.protocol != PROTO_TCP || ip.payloadLength() < 20) {
            return null;
        }
        byte[] p = ip.packet;
        int o = ip.payloadOffset;
        return new Tcp(u16(p, o), u16(p, o + 2), u32(p, o + 4), u32(p, o + 8), p[o + 13] & 0xff);
    }

    /** How many bytes of data a TCP segment carries (after its header and options). */
    public static int tcpPayloadLength(Ip ip) {
        int headerLength = ((ip.packet[ip.payloadOffset + 12] >> 4) & 0xf) * 4;
        return Math.max(0, ip.payloadLength() - headerLength);
    }

    /** A TCP segment from {@code from} to {@code to}; with SYN it carries an MSS option (1460). */
    public static byte[] tcp(InetAddress from, int fromPort, InetAddress to, int toPort, long seq, long ack, int flags) {
        boolean withMss = (flags & SYN) != 0;
        int tcpLength = withMss ? 24 : 20;
        byte[] out = ipHeader(from, to, PROTO_TCP, tcpLength);
        int o = out.length - tcpLength;
        put16(out, o, fromPort);
        put16(out, o + 2, toPort);
        put32(out, o + 4, seq);
        put32(out, o + 8, ack);
        out[o + 12] = (byte) ((tcpLength / 4) << 4);
        out[o + 13] = (byte) flags;
        put16(out, o + 14, 65535);
        if (withMss) {
            out[o + 20] = 2;
            out[o + 21] = 4;
            put16(out, o + 22, 1460);
        }
        put16(out, o + 16, transportChecksum(out, o, tcpLength, from, to, PROTO_TCP));
        return out;
    }

    /**
     * ICMP (v4) or ICMPv6 destination unreachable for {@code original}, quoting it as RFC 792 /
     * RFC 4443 ask (the IP header and at least the first 8 bytes: the ports).
     */
    public static byte[] unreachable(Ip original, InetAddress from, int code) {
        boolean v4 = original.version == 4;
        int quote = v4 ? Math.min(original.length, original.payloadOffset + 8) : Math.min(original.length, 1232);
        int icmpLength = 8 + quote;
        int protocol = v4 ? PROTO_ICMP : PROTO_ICMPV6;
        byte[] out = ipHeader(from, original.source, protocol, icmpLength);
        int o = out.length - icmpLength;
        out[o] = (byte) (v4 ? 3 : 1);
        out[o + 1] = (byte) code;
        System.arraycopy(original.packet, 0, out, o + 8, quote);
        int sum = v4 ? checksum(out, o, icmpLength, 0) : transportChecksum(out, o, icmpLength, from, original.source, protocol);
        put16(out, o + 2, sum);
        return out;
    }

    /** The echo reply to an ICMP / ICMPv6 echo request, same identifier, sequence and data. */
    public static byte[] echoReply(Ip request) {
        boolean v4 = request.version == 4;
        int icmpLength = request.payloadLength();
        byte[] out = ipHeader(request.destination, request.source, request.protocol, icmpLength);
        int o = out.length - icmpLength;
        System.arraycopy(request.packet, request.payloadOffset, out, o, icmpLength);
        out[o] = (byte) (v4 ? 0 : 129);
        out[o + 2] = 0;
        out[o + 3] = 0;
        int sum = v4 ? checksum(out, o, icmpLength, 0)
                : transportChecksum(out, o, icmpLength, request.destination, request.source, request.protocol);
        put16(out, o + 2, sum);
        return out;
    }

    /** The identifier of an ICMP / ICMPv6 echo message. */
    public static int echoIdentifier(Ip ip) {
        return u16(ip.packet, ip.payloadOffset + 4);
    }

    /** True for an ICMP echo request (type 8) or ICMPv6 echo request (type 128). */
    public static boolean isEchoRequest(Ip ip) {
        if (ip.payloadLength() < 8) {
            return false;
        }
        int type = ip.packet[ip.payloadOffset] & 0xff;
        return (ip.protocol == PROTO_ICMP && type == 8) || (ip.protocol == PROTO_ICMPV6 && type == 128);
    }

    private static byte[] ipHeader(InetAddress from, InetAddress to, int protocol, int payloadLength) {
        byte[] src = from.getAddress();
        byte[] dst = to.getAddress();
        if (src.length != dst.length) {
            throw new IllegalArgumentException("mixed families: " + from + " -> " + to);
        }
        if (from instanceof Inet4Address) {
            byte[] out = new byte[IPV4_HEADER + payloadLength];
            out[0] = 0x45;
            put16(out, 2, out.length);
            put16(out, 6, 0x4000); // don't fragment
            out[8] = 64;
            out[9] = (byte) protocol;
            System.arraycopy(src, 0, out, 12, 4);
            System.arraycopy(dst, 0, out, 16, 4);
            put16(out, 10, checksum(out, 0, IPV4_HEADER, 0));
            return out;
        }
        byte[] out = new byte[IPV6_HEADER + payloadLength];
        out[0] = 0x60;
        put16(out, 4, payloadLength);
        out[6] = (byte) protocol;
        out[7] = 64;
        System.arraycopy(src, 0, out, 8, 16);
        System.arraycopy(dst, 0, out, 24, 16);
        return out;
    }

    /** TCP / ICMPv6 checksum: over the pseudo-header (RFC 793, RFC 8200 8.1) and the segment. */
    static int transportChecksum(byte[] p, int offset, int length, InetAddress from, InetAddress to, int protocol) {
        byte[] src = from.getAddress();
        byte[] dst = to.getAddress();
        long sum = 0;
        for (int i = 0; i < src.length; i += 2) {
            sum += u16(src, i) + u16(dst, i);
        }
        sum += protocol;
        sum += src.length == 4 ? length : (length >>> 16) + (length & 0xffff);
        return checksum(p, offset, length, sum);
    }

    /** The Internet checksum (RFC 1071) of p[offset..offset+length), starting from {@code initial}. */
    static int checksum(byte[] p, int offset, int length, long initial) {
        long sum = initial;
        int i = offset;
        int end = offset + length;
        for (; i + 1 < end; i += 2) {
            sum += u16(p, i);
        }
        if (i < end) {
            sum += (p[i] & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    static int u16(byte[] p, int o) {
        return ((p[o] & 0xff) << 8) | (p[o + 1] & 0xff);
    }

    static long u32(byte[] p, int o) {
        return ((long) u16(p, o) << 16) | u16(p, o + 2);
    }

    private static void put16(byte[] p, int o, int v) {
        p[o] = (byte) (v >>> 8);
        p[o + 1] = (byte) v;
    }

    private static void put32(byte[] p, int o, long v) {
        ByteBuffer.wrap(p, o, 4).putInt((int) v);
    }

    private static InetAddress address(byte[] p, int o, int n) {
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(p, o, o + n));
        } catch (UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }
}

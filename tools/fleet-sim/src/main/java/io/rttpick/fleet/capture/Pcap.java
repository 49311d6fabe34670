package io.rttpick.fleet.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads a classic pcap file of raw IP packets (what tcpdump writes for a TUN device). */
public final class Pcap {
    private static final int MAGIC_MICROS = 0xa1b2c3d4;
    private static final int MAGIC_NANOS = 0xa1b23c4d;
    private static final int LINKTYPE_RAW = 101;
    private static final int LINKTYPE_RAW_ALT = 12;
    private static final int LINKTYPE_IPV4 = 228;
    private static final int LINKTYPE_IPV6 = 229;

    /** One captured packet: its kernel timestamp (epoch nanoseconds) and bytes. */
    public static final class Packet {
        public final long timestampNanos;
        public final byte[] data;

        Packet(long timestampNanos, byte[] data) {
            this.timestampNanos = timestampNanos;
            this.data = data;
        }
    }

    private Pcap() {
    }

    public static List<Packet> read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        if (b.remaining() < 24) {
            throw new IOException(file + ": not a pcap file (" + b.remaining() + " bytes)");
        }
        b.order(ByteOrder.LITTLE_ENDIAN);
        int magic = b.getInt(0);
        if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
            b.order(ByteOrder.BIG_ENDIAN);
            magic = b.getInt(0);
        }
        if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
            throw new IOException(file + ": not a pcap file (magic " + Integer.toHexString(magic) + ")");
        }
        long fractionToNanos = magic == MAGIC_NANOS ? 1 : 1_000;
        int linkType = b.getInt(20);
        if (linkType != LINKTYPE_RAW && linkType != LINKTYPE_RAW_ALT && linkType != LINKTYPE_IPV4 && linkType != LINKTYPE_IPV6) {
            throw new IOException(file + ": link type " + linkType + " is not raw IP");
        }
        List<Packet> packets = new ArrayList<>();
        b.position(24);
        while (b.remaining() >= 16) {
            long seconds = b.getInt() & 0xffffffffL;
            long fraction = b.getInt() & 0xffffffffL;
            int captured = b.getInt();
            b.getInt(); // original length
            if (captured < 0 || captured > b.remaining()) {
                break; // a record cut short when the capture stopped
            }
            byte[] data = new byte[captured];
            b.get(data);
            packets.add(new Packet(seconds * 1_000_000_000L + fraction * fractionToNanos, data));
        }
        return packets;
    }
}

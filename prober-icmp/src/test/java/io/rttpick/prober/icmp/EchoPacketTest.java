package io.rttpick.prober.icmp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jnr.ffi.Pointer;
import org.junit.jupiter.api.Test;

class EchoPacketTest {
    private static byte[] bytes(Pointer p, int n) {
        byte[] out = new byte[n];
        p.get(0, out, 0, n);
        return out;
    }

    @Test
    void requestsCarryTypeSequenceAndOurMarkerAndLeaveIdAndChecksumToTheKernel() {
        Pointer p = jnr.ffi.Runtime.getSystemRuntime().getMemoryManager().allocateDirect(EchoPacket.LENGTH, true);
        assertEquals(16, EchoPacket.writeRequest(p, false, 0x1234));
        assertArrayEquals(new byte[] {8, 0, 0, 0, 0, 0, 0x12, 0x34, 'r', 't', 't', 'p', 'i', 'c', 'k', 0}, bytes(p, 16));
        EchoPacket.writeRequest(p, true, 0xfffe);
        assertArrayEquals(new byte[] {(byte) 128, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xfe}, java.util.Arrays.copyOf(bytes(p, 16), 8));
    }

    @Test
    void aReplyMustBeAnEchoReplyOfTheRightFamilyWithOurSequence() {
        Pointer p = jnr.ffi.Runtime.getSystemRuntime().getMemoryManager().allocateDirect(EchoPacket.LENGTH, true);
        EchoPacket.writeRequest(p, false, 7);
        assertFalse(EchoPacket.isReplyTo(p, 16, false, 7), "a request is not a reply");
        p.putByte(0, (byte) 0);
        assertTrue(EchoPacket.isReplyTo(p, 16, false, 7));
        assertFalse(EchoPacket.isReplyTo(p, 16, false, 8), "another sequence");
        assertFalse(EchoPacket.isReplyTo(p, 16, true, 7), "type 0 is not ICMPv6's reply");
        assertFalse(EchoPacket.isReplyTo(p, 7, false, 7), "too short");
        p.putByte(0, (byte) 129);
        assertTrue(EchoPacket.isReplyTo(p, 16, true, 7));
        EchoPacket.writeRequest(p, false, 0x10007); // sequences wrap at 16 bits
        p.putByte(0, (byte) 0);
        assertTrue(EchoPacket.isReplyTo(p, 16, false, 0x10007));
    }
}

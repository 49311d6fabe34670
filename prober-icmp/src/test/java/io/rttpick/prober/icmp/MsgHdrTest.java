package io.rttpick.prober.icmp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** struct msghdr / iovec / cmsghdr as LP64 Linux lays them out, and the timestamp found among control messages. */
class MsgHdrTest {

    @Test
    void resetPointsTheHeaderAtOneIovecAndTheControlBuffer() {
        MsgHdr m = MsgHdr.allocate();
        m.reset();
        assertEquals(0L, m.msghdr.getLong(0), "msg_name: none");
        assertEquals(m.iovec.address(), m.msghdr.getLong(16), "msg_iov");
        assertEquals(1L, m.msghdr.getLong(24), "msg_iovlen");
        assertEquals(m.control.address(), m.msghdr.getLong(32), "msg_control");
        assertEquals(MsgHdr.CONTROL_SIZE, m.msghdr.getLong(40), "msg_controllen");
        assertEquals(0, m.msghdr.getInt(48), "msg_flags");
        assertEquals(m.data.address(), m.iovec.getLong(0), "iov_base");
        assertEquals(MsgHdr.DATA_SIZE, m.iovec.getLong(8), "iov_len");
    }

    @Test
    void theTimestampIsFoundAfterOtherControlMessages() {
        MsgHdr m = MsgHdr.allocate();
        m.reset();
        // first a 4-byte message of another kind (cmsg_len 20, padded to 24), then SCM_TIMESTAMPNS
        m.control.putLong(0, 20);
        m.control.putInt(8, 0); // IPPROTO_IP
        m.control.putInt(12, 8); // IP_TTL, say
        m.control.putInt(16, 64);
        m.control.putLong(24, 32);
        m.control.putInt(32, IcmpConstants.SOL_SOCKET);
        m.control.putInt(36, IcmpConstants.SCM_TIMESTAMPNS);
        m.control.putLong(40, 1_764_000_000L); // tv_sec
        m.control.putLong(48, 123_456_789L);   // tv_nsec
        m.msghdr.putLong(40, 56); // what the kernel wrote back as msg_controllen
        assertEquals(1_764_000_000L * 1_000_000_000L + 123_456_789L, m.receiveTimestampNanos());
        m.msghdr.putLong(40, 24); // only the first message
        assertEquals(-1, m.receiveTimestampNanos());
        m.msghdr.putLong(40, 56);
        m.control.putLong(0, 4); // a malformed length: nothing after it is trusted
        assertEquals(-1, m.receiveTimestampNanos());
    }
}

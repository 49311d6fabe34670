package io.rttpick.prober.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** struct msghdr / iovec / cmsghdr as LP64 Linux lays them out, and a control message found among others. */
class MsgHdrTest {
    private static final int SOL_SOCKET = jnr.constants.platform.linux.SocketLevel.SOL_SOCKET.intValue();
    private static final int SCM_TIMESTAMPNS = jnr.constants.platform.linux.SocketControlMessage.SCM_TIMESTAMPNS.intValue();
    private NativeArena arena;

    @BeforeEach
    void open() {
        assumeTrue(Native.system() != null, "Linux or macOS");
        arena = new NativeArena();
    }

    @AfterEach
    void free() {
        if (arena != null) {
            arena.close();
        }
    }

    /** The timestamp's data offset, as the ICMP prober looks for it. */
    private static long timestamp(MsgHdr m) {
        long at = m.findControl(SOL_SOCKET, SCM_TIMESTAMPNS, 16);
        return at < 0 ? -1 : m.control.getLong(at) * 1_000_000_000L + m.control.getLong(at + 8);
    }

    @Test
    void resetPointsTheHeaderAtOneIovecAndTheControlBuffer() {
        MsgHdr m = new MsgHdr(arena, 1500, 256);
        m.reset();
        assertEquals(0L, m.msghdr.getLong(0), "msg_name: none");
        assertEquals(m.iovec.address(), m.msghdr.getLong(16), "msg_iov");
        assertEquals(1L, m.msghdr.getLong(24), "msg_iovlen");
        assertEquals(m.control.address(), m.msghdr.getLong(32), "msg_control");
        assertEquals(256L, m.msghdr.getLong(40), "msg_controllen");
        assertEquals(0, m.msghdr.getInt(48), "msg_flags");
        assertEquals(m.data.address(), m.iovec.getLong(0), "iov_base");
        assertEquals(1500L, m.iovec.getLong(8), "iov_len");
    }

    @Test
    void theTimestampIsFoundAfterOtherControlMessages() {
        MsgHdr m = new MsgHdr(arena, 1500, 256);
        m.reset();
        // first a 4-byte message of another kind (cmsg_len 20, padded to 24), then SCM_TIMESTAMPNS
        m.control.putLong(0, 20);
        m.control.putInt(8, 0); // IPPROTO_IP
        m.control.putInt(12, 8); // IP_TTL, say
        m.control.putInt(16, 64);
        m.control.putLong(24, 32);
        m.control.putInt(32, SOL_SOCKET);
        m.control.putInt(36, SCM_TIMESTAMPNS);
        m.control.putLong(40, 1_764_000_000L); // tv_sec
        m.control.putLong(48, 123_456_789L);   // tv_nsec
        m.msghdr.putLong(40, 56); // what the kernel wrote back as msg_controllen
        assertEquals(1_764_000_000L * 1_000_000_000L + 123_456_789L, timestamp(m));
        m.msghdr.putLong(40, 24); // only the first message
        assertEquals(-1, timestamp(m));
        m.msghdr.putLong(40, 56);
        m.control.putLong(0, 4); // a malformed length: nothing after it is trusted
        assertEquals(-1, timestamp(m));
    }
}

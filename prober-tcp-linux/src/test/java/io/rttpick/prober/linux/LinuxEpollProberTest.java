package io.rttpick.prober.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rttpick.prober.Handshake;
import io.rttpick.prober.Outcome;
import io.rttpick.prober.RttSample;
import io.rttpick.prober.Timing;
import io.rttpick.prober.spi.ProberProvider;
import io.rttpick.prober.testing.ProberContractTest;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract suite on the real kernel, plus what only this prober promises. */
class LinuxEpollProberTest extends ProberContractTest {

    @BeforeAll
    static void onLinuxOnly() {
        boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
        assumeTrue(linux, "linux-epoll runs on Linux only");
        // on Linux it must work: an unavailable prober here is a failure, not a skip
        LinuxEpoll.availability().ensure();
    }

    @Override
    protected ProberProvider provider() {
        return new LinuxEpollProberProvider();
    }

    @Override
    protected Handshake expectedHandshake() {
        return Handshake.HALF_OPEN;
    }

    @Test
    void loopbackRttIsTheKernelsOwnWithTheUserspaceFigureBesideIt() throws Exception {
        String open = servers.open();
        RttSample s = probeOne(open, options(Duration.ofSeconds(2)));
        assertEquals(Outcome.OK, s.outcome(), s.toString());
        Object tcpInfoLength = s.details().get(EpollTransport.DETAIL_TCP_INFO_LENGTH);
        // qemu-user passes a short tcp_info: there the user-space fallback is the right answer
        if (((Integer) tcpInfoLength) >= TcpInfo.TOTAL_RETRANS_OFFSET + 4) {
            assertEquals(Timing.KERNEL, s.timing().orElseThrow(), s.details().toString());
            assertEquals(false, s.details().get(RttSample.Details.SYN_RETRANSMITTED));
        } else {
            assertEquals(Timing.USERSPACE, s.timing().orElseThrow());
        }
        assertTrue(s.details().containsKey(RttSample.Details.USERSPACE_RTT_MICROS), s.details().toString());
    }
}

package io.rttpick.prober.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.fleet.LoopbackFleet;
import io.rttpick.prober.Handshake;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.spi.AttemptResult;
import io.rttpick.prober.spi.ConnectClock;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NioTransportTest {
    /**
     * java.nio closes a channel registered with a selector only at the selector's next select; a
     * loop that came back late (a pause, a slow class load) let the delayed ACK out first, and the
     * server accepted a connection that the sample called half-open (seen once in CI).
     */
    @Test
    void theSocketIsGoneAfterTheRoundEvenIfTheLoopDoesNotSelectAgainForLong() throws Exception {
        NioTransport transport = new NioTransport(ConnectProbers.jdkDelayedAck());
        try (LoopbackFleet servers = new LoopbackFleet()) {
            String[] hostPort = servers.open().split(":");
            ConnectClock clock = new ConnectClock();
            NioTransport.Attempt attempt = transport.connect(
                    new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), ProbeOptions.defaults(), clock);
            long[] ready = {0};
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (ready[0] == 0 && System.nanoTime() < deadline) {
                transport.poll(TimeUnit.MILLISECONDS.toNanos(100), (a, now) -> ready[0] = now);
            }
            assertTrue(ready[0] != 0, "the loopback listener never answered");

            AttemptResult result = transport.finish(attempt, clock.nanos(), ready[0]);
            transport.completeCloses(); // what the event loop calls after each round
            Thread.sleep(400); // twice the 200 ms a delayed ACK waits in SYN_SENT, with no select meanwhile

            assertEquals(Handshake.HALF_OPEN, result.handshake());
            assertEquals(0, servers.accepted(), "the delayed ACK went out before the RST: the server accepted");
        } finally {
            transport.close();
        }
    }
}

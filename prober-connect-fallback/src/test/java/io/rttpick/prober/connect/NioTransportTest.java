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
            ConnectClock clock = new ConnectClock();
            NioTransport.Attempt attempt = transport.connect(address(servers.open()), ProbeOptions.defaults(), clock);
            long ready = awaitReady(transport);

            AttemptResult result = transport.finish(attempt, clock.nanos(), ready);
            transport.completeCloses(); // what the event loop calls after each round
            Thread.sleep(400); // twice the 200 ms a delayed ACK waits in SYN_SENT, with no select meanwhile

            assertEquals(Handshake.HALF_OPEN, result.handshake());
            assertEquals(0, servers.accepted(), "the delayed ACK went out before the RST: the server accepted");
        } finally {
            transport.close();
        }
    }

    @Test
    void aLoopRunningLateClosesAtOnce() throws Exception {
        NioTransport transport = new NioTransport(ConnectProbers.jdkDelayedAck());
        try (LoopbackFleet servers = new LoopbackFleet()) {
            ConnectClock clock = new ConnectClock();
            NioTransport.Attempt attempt = transport.connect(address(servers.open()), ProbeOptions.defaults(), clock);
            long ready = awaitReady(transport);
            Thread.sleep(5); // the loop came back late from its select: a pause, a slow class load

            transport.finish(attempt, clock.nanos(), ready);
            Thread.sleep(400); // no completeCloses, no select

            assertEquals(0, servers.accepted(), "the close waited for the round's end: the delayed ACK went out");
        } finally {
            transport.close();
        }
    }

    @Test
    void inALongRoundTheFirstClosesDoNotWaitForItsEnd() throws Exception {
        NioTransport transport = new NioTransport(ConnectProbers.jdkDelayedAck());
        try (LoopbackFleet servers = new LoopbackFleet()) {
            InetSocketAddress open = address(servers.open());
            InetSocketAddress silent = address(servers.silent()); // takes a while: before the first connect
            ConnectClock clock = new ConnectClock();
            NioTransport.Attempt answered = transport.connect(open, ProbeOptions.defaults(), clock);
            long start = clock.nanos();
            NioTransport.Attempt unanswered = transport.connect(silent, ProbeOptions.defaults(), clock);
            long ready = awaitReady(transport);

            transport.finish(answered, start, ready);
            Thread.sleep(5); // the round goes on: building samples, more answers
            transport.abort(unanswered); // a later close in the same round, more than a millisecond on
            Thread.sleep(400); // no completeCloses, no select

            assertEquals(0, servers.accepted(), "the first close waited for the round's end: the delayed ACK went out");
        } finally {
            transport.close();
        }
    }

    private static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /** Polls until something is ready; returns when. */
    private static long awaitReady(NioTransport transport) throws Exception {
        long[] ready = {0};
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (ready[0] == 0 && System.nanoTime() < deadline) {
            transport.poll(TimeUnit.MILLISECONDS.toNanos(100), (a, now) -> ready[0] = now);
        }
        assertTrue(ready[0] != 0, "the loopback listener never answered");
        return ready[0];
    }
}

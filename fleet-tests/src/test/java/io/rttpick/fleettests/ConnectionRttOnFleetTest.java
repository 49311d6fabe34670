package io.rttpick.fleettests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.fleet.tun.FleetPlan;
import io.rttpick.fleet.tun.TunFleet;
import io.rttpick.prober.linux.diag.ConnectionRtt;
import io.rttpick.prober.testing.FleetNamespace;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The kernel's RTT of a live connection, read through sock_diag, against a server of the
 * simulated fleet that keeps its connections and acknowledges data after its delay: within 2 ms
 * of the delay, and following it when the route gets longer.
 */
class ConnectionRttOnFleetTest {
    private static final String SERVER = "198.18.40.1";

    /** Sends a byte, then waits longer than the server's delay, {@code times} times: each ACK is an RTT sample. */
    private static void traffic(SocketChannel channel, int times, Duration wait) throws Exception {
        for (int i = 0; i < times; i++) {
            channel.write(ByteBuffer.wrap(new byte[] {42}));
            Thread.sleep(wait.toMillis());
        }
    }

    @Test
    void theKernelsRttOfALiveConnectionIsTheServersDelayAndFollowsIt() throws Exception {
        String device = FleetNamespace.requireDevice();
        FleetPlan plan = new FleetPlan().add("kept", SERVER, FleetPlan.Mode.OPEN, Duration.ofMillis(40)).keepConnections(true);
        try (TunFleet fleet = TunFleet.start(plan, device);
             ConnectionRtt reader = ConnectionRtt.open();
             SocketChannel channel = SocketChannel.open(new InetSocketAddress(InetAddress.getByName(SERVER), 993))) {
            InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
            InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
            traffic(channel, 10, Duration.ofMillis(60));
            ConnectionRtt.Reading first = reader.read(local, remote).orElseThrow();
            System.out.println("sock_diag, server at 40 ms: " + first);
            assertTrue(Math.abs(first.rttMicros() - 40_000) <= 2_000, first.toString());
            assertTrue(Math.abs(first.minRttMicros() - 40_000) <= 2_000, first.toString());

            fleet.delay(InetAddress.getByName(SERVER), Duration.ofMillis(80)); // the route got longer
            traffic(channel, 40, Duration.ofMillis(100));
            ConnectionRtt.Reading later = reader.read(local, remote).orElseThrow();
            System.out.println("sock_diag, server at 80 ms since: " + later);
            assertTrue(Math.abs(later.rttMicros() - 80_000) <= 4_000, "the smoothed RTT follows: " + later);
            assertTrue(later.minRttMicros() < 45_000, "the windowed minimum remembers the shorter route: " + later);
            assertEquals(ConnectionRtt.Reading.class, later.getClass());
        }
    }
}

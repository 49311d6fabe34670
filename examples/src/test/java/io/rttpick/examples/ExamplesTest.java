package io.rttpick.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.rttpick.fleet.LoopbackFleet;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/** The examples run as a user runs them, over listeners on loopback: what they print is what the README promises. */
@Isolated // they print to System.out, which this test takes over
class ExamplesTest {
    private final LoopbackFleet servers = new LoopbackFleet();

    @AfterEach
    void close() {
        servers.close();
    }

    private interface Main {
        void run() throws Exception;
    }

    private static String output(Main main) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            main.run();
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            System.setOut(saved);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void quickStartUsesTheListeningServer() throws Exception {
        String open = servers.open();
        String closed = servers.closed();
        String printed = output(() -> QuickStart.main(new String[] {closed, open}));
        assertTrue(printed.startsWith("use " + open + " (FAST, "), printed);
    }

    @Test
    void quickStartWithNothingListeningSaysSo() throws Exception {
        String closed = servers.closed();
        String printed = output(() -> QuickStart.main(new String[] {closed}));
        assertEquals("no server answered", printed.strip());
    }

    @Test
    void grpcNearestConnectsThroughThePolicy() throws Exception {
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).build().start();
        try {
            // localhost is 127.0.0.1 and ::1: the policy probes both, and the server listens on the first only
            String printed = output(() -> GrpcNearest.main(new String[] {"dns:///localhost:" + server.getPort()}));
            assertTrue(printed.startsWith("channel to dns:///localhost:" + server.getPort() + ": READY after "), printed);
        } finally {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void okHttpNearestFetchesFromTheAddressThatAnswers() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.enqueue(new MockResponse.Builder().body("ok").build());
            server.start(InetAddress.getLoopbackAddress(), 0);
            String url = "http://localhost:" + server.getPort() + "/";
            String printed = output(() -> OkHttpNearest.main(new String[] {url}));
            assertTrue(printed.startsWith("GET " + url + ": 200 from "), printed);
            assertTrue(printed.strip().endsWith("127.0.0.1:" + server.getPort()), printed);
        }
    }

    @Test
    void keepAServerMovesToTheOtherListeningServerWhenItsOwnFails() throws Exception {
        String a = servers.open();
        String b = servers.open();
        String closed = servers.closed();
        List<String> lines = output(() -> KeepAServer.main(new String[] {a, b, closed})).lines().toList();
        assertEquals(2, lines.size(), String.join("\n", lines));
        String first = lines.get(0).startsWith("start: use " + a) ? a : b;
        String other = first.equals(a) ? b : a;
        assertTrue(lines.get(0).startsWith("start: use " + first + " (FAST, "), lines.get(0));
        assertTrue(lines.get(1).startsWith("after " + first + " failed: use " + other + " (FAST, "), lines.get(1));
    }
}

package io.rttpick.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.rttpick.fleet.LoopbackFleet;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The examples as a user runs them: each in a JVM of its own, which must end soon after it has
 * printed its choice. A thread that outlives {@code close()} (Reactor's graceful dispose left one
 * for 10 s) holds a plain {@code main} open; the in-process tests cannot see that.
 */
class ExamplesExitTest {
    /** Far under the 10 s a leftover keep-alive thread costs, far over a JVM's start on a loaded machine. */
    private static final long MAX_SECONDS = 6;
    private final LoopbackFleet servers = new LoopbackFleet();

    @AfterEach
    void close() {
        servers.close();
    }

    @Test
    void quickStartEndsItsJvmOnceItHasChosen() throws Exception {
        String open = servers.open();
        assertEndsSoon(QuickStart.class, open, "use " + open);
    }

    @Test
    void keepAServerEndsItsJvmOnceItHasFailedOver() throws Exception {
        String a = servers.open();
        String b = servers.open();
        assertEndsSoon(KeepAServer.class, a + " " + b, "after ");
    }

    @Test
    void grpcNearestEndsItsJvmOnceItsChannelWasReady() throws Exception {
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).build().start();
        try {
            assertEndsSoon(GrpcNearest.class, "dns:///localhost:" + server.getPort(), "READY after");
        } finally {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void okHttpNearestEndsItsJvmOnceItHasFetched() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.enqueue(new MockResponse.Builder().body("ok").build());
            server.start(InetAddress.getLoopbackAddress(), 0);
            assertEndsSoon(OkHttpNearest.class, "http://localhost:" + server.getPort() + "/", ": 200 from ");
        }
    }

    private static void assertEndsSoon(Class<?> main, String args, String expected) throws Exception {
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", testClassPath(), main.getName()));
        command.addAll(List.of(args.split(" ")));
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        boolean ended = p.waitFor(MAX_SECONDS * 4, TimeUnit.SECONDS);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!ended) {
            p.destroyForcibly();
        }
        assertTrue(ended && seconds <= MAX_SECONDS, main.getSimpleName() + " ended after " + seconds + " s (at most "
                + MAX_SECONDS + "): " + printed);
        assertEquals(0, p.exitValue(), printed);
        assertTrue(printed.contains(expected), printed);
    }

    /** Surefire runs tests from a manifest-only jar; the class path it means is in this property. */
    private static String testClassPath() {
        String path = System.getProperty("surefire.test.class.path");
        return path == null || path.isBlank() ? System.getProperty("java.class.path") : path;
    }
}

package io.rttpick.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rttpick.prober.testing.OpenFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code serve} against the clients it meets beside a user's app: ones that close early (a
 * closed tab, {@code curl --max-time}), ones that stall byte by byte, ones that never read
 * their answer, and too many at once. Each connection limit is tried at its default.
 */
class HostileClientsTest extends ServeTestCase {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String ping(String address, int timeoutMs) {
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"mailservers_ping\",\"params\":[{\"addresses\":[\"" + address
                + "\"],\"timeoutMs\":" + timeoutMs + "}]}";
    }

    private static String post(int port, String body) {
        return "POST / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    /** Waits until {@code count} is at most {@code limit}; returns the last count seen. */
    private static int settle(IoCount count, int limit, Duration within) throws Exception {
        long end = System.nanoTime() + within.toNanos();
        int now = count.get();
        while (now > limit && System.nanoTime() < end) {
            Thread.sleep(50);
            now = count.get();
        }
        return now;
    }

    @FunctionalInterface
    interface IoCount {
        int get() throws IOException;
    }

    /** One client that goes away early: before its request is whole, after it, or while its probe is out. */
    private static void closeEarly(int port, String body, int kind) {
        byte[] request = post(port, body).getBytes(StandardCharsets.UTF_8);
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            switch (kind % 3) {
                case 0 -> out.write(request, 0, request.length / 2); // half a request
                case 1 -> out.write(request); // whole, gone before the answer
                default -> {
                    out.write(request);
                    out.flush();
                    Thread.sleep(30); // its probe is out now
                }
            }
            out.flush();
            if (kind % 2 == 0) {
                s.setSoLinger(true, 0); // and half of them reset, not close
            }
        } catch (IOException | InterruptedException e) {
            // a refused or reset connection is one of the outcomes we want
        }
    }

    @Test
    void aThousandClientsThatCloseEarlyLeaveNoDescriptorBehind() throws Exception {
        String silent = servers.silent();
        int port = start(new ServeSettings().maxCallsInFlight(64).maxCallsPerMinute(100_000).maxProbesPerMinute(100_000));
        // warm: classes loaded, the prober's event loop and its descriptors open
        RawHttp.post(port, ping(servers.open(), 200));
        RawHttp.post(port, ping(silent, 50));
        int before = OpenFiles.count();
        ExecutorService clients = Executors.newFixedThreadPool(50);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            int kind = i;
            done.add(clients.submit(() -> closeEarly(port, ping(silent, 2_000), kind)));
        }
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        clients.shutdown();
        int after = settle(OpenFiles::count, before, Duration.ofSeconds(20));
        System.out.printf("1,000 clients that closed early: %d descriptors before, %d after; probes cancelled: %d of %d started%n",
                before, after, watched.cancelled.get(), watched.started.get());
        assertTrue(after <= before, after + " descriptors after, " + before + " before");
        assertTrue(watched.cancelled.get() > 0, "some probes were still out when their client went: they were cancelled");
        assertEquals(0, service.openConnections());
        JsonNode still = JSON.readTree(RawHttp.post(port, ping(servers.open(), 500)).body);
        assertTrue(still.get("result").get(0).get("error").isNull(), still.toString());
    }

    @Test
    void underALoweredDescriptorLimitEarlyClosesNeitherLeakNorSpin() throws Exception {
        String silent = servers.silent();
        try (ServeProcess child = ServeProcess.start("ulimit -n 160", List.of("-Xmx96m"),
                "--max-calls-in-flight", "64", "--max-calls-per-minute", "100000", "--max-probes-per-minute", "100000")) {
            RawHttp.post(child.port, ping(servers.open(), 200)); // warm
            int before = child.openFiles();
            ExecutorService clients = Executors.newFixedThreadPool(100);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                int kind = i;
                done.add(clients.submit(() -> closeEarly(child.port, ping(silent, 2_000), kind)));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
            clients.shutdown();
            int after = settle(child::openFiles, before, Duration.ofSeconds(20));
            // spinning would burn a core for good; a quiet process settles: the compiler catches up after the
            // burst, and connections the kernel completed while accept was backing off (EMFILE) are taken
            // and closed a batch a second. The least CPU of any second in the next thirty.
            long quietest = Long.MAX_VALUE;
            String before0 = child.threadTimes();
            for (int second = 0; second < 30 && quietest > 20; second++) {
                Duration cpu0 = child.cpu();
                Thread.sleep(1_000);
                quietest = Math.min(quietest, child.cpu().minus(cpu0).toMillis());
            }
            System.out.println("child threads by CPU (ms), before the quiet seconds: " + before0 + "; after: " + child.threadTimes());
            Duration quiet = Duration.ofMillis(quietest);
            System.out.printf("limit 160 descriptors, 1,000 clients that closed early: %d descriptors before, %d after;"
                    + " CPU over a quiet second afterwards: %d ms%n", before, after, quiet.toMillis());
            assertTrue(after <= before, after + " descriptors after, " + before + " before");
            assertTrue(quiet.toMillis() <= 100, "spinning: " + quiet.toMillis() + " ms of CPU in a quiet second");
            JsonNode still = JSON.readTree(RawHttp.post(child.port, ping(servers.open(), 500)).body);
            assertTrue(still.get("result").get(0).get("error").isNull(), still.toString());
        }
    }

    @Test
    void aLegitimateCallIsAnsweredWhileFiveHundredConnectionsDripAHeaderByteASecond() throws Exception {
        int port = start(new ServeSettings());
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 500; i++) {
                Socket s = new Socket("127.0.0.1", port);
                s.getOutputStream().write('P');
                slow.add(s);
            }
            for (int second = 0; second < 3; second++) {
                Thread.sleep(1_000);
                for (Socket s : slow) {
                    s.getOutputStream().write("OST / HTTP/1.1\r\n".charAt(second));
                }
            }
            long start = System.nanoTime();
            RawHttp answer = RawHttp.post(port, ping(servers.open(), 500));
            long ms = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("500 connections dripping a header byte a second: a legitimate call answered in %d ms"
                    + " (request deadline 10,000 ms)%n", ms);
            assertEquals(200, answer.status);
            assertTrue(ms < 10_000, "answered after " + ms + " ms: not before the deadline");
            assertTrue(ms < 2_000, "answered after " + ms + " ms");
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    /** How long until the server closes {@code s} (reads to EOF or a reset); -1 if not within {@code max}. */
    private static long closedAfterMs(Socket s, long startNanos, Duration max) throws IOException {
        s.setSoTimeout((int) max.toMillis());
        InputStream in = s.getInputStream();
        byte[] buffer = new byte[65_536];
        try {
            while (in.read(buffer) >= 0) {
                // answers to pipelined requests, if any
            }
        } catch (java.net.SocketTimeoutException e) {
            return -1;
        } catch (SocketException reset) {
            // closed with our bytes unread: a reset is a close too
        }
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Test
    void theRequestWriteAndIdleDeadlinesHoldAtTheirDefaults() throws Exception {
        int port = start(new ServeSettings());
        ExecutorService clients = Executors.newFixedThreadPool(3);
        // a request that never ends: one byte, then nothing (request deadline, 10 s)
        Future<Long> request = clients.submit(() -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                long start = System.nanoTime();
                s.getOutputStream().write('G');
                return closedAfterMs(s, start, Duration.ofSeconds(20));
            }
        });
        // a connection that never sends anything (idle timeout, 30 s)
        Future<Long> idle = clients.submit(() -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return closedAfterMs(s, System.nanoTime(), Duration.ofSeconds(45));
            }
        });
        // a client that asks and asks and never reads (write deadline, 10 s): its answers back up within
        // milliseconds, then the server stops reading too, and our writes block until it drops us
        Future<Long> write = clients.submit(() -> {
            try (Socket s = new Socket()) {
                s.setReceiveBufferSize(4_096);
                s.connect(new InetSocketAddress("127.0.0.1", port));
                byte[] get = ("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
                OutputStream out = s.getOutputStream();
                long start = System.nanoTime();
                try {
                    while (System.nanoTime() - start < Duration.ofSeconds(40).toNanos()) {
                        out.write(get);
                    }
                    return -1L;
                } catch (IOException dropped) {
                    return (System.nanoTime() - start) / 1_000_000;
                }
            }
        });
        long requestMs = request.get(60, TimeUnit.SECONDS);
        long writeMs = write.get(60, TimeUnit.SECONDS);
        long idleMs = idle.get(60, TimeUnit.SECONDS);
        clients.shutdown();
        System.out.printf("defaults: a stalled request closed after %d ms (deadline 10,000), a silent connection after %d ms"
                + " (idle 30,000), a client not reading was dropped within %d ms of its first request (write deadline 10,000)%n",
                requestMs, idleMs, writeMs);
        assertTrue(requestMs >= 9_500 && requestMs <= 12_000, "stalled request closed after " + requestMs + " ms");
        assertTrue(idleMs >= 29_500 && idleMs <= 32_000, "idle connection closed after " + idleMs + " ms");
        assertTrue(writeMs >= 9_500 && writeMs <= 14_000, "a client that does not read was dropped after " + writeMs + " ms");
        assertEquals(200, RawHttp.post(port, ping(servers.open(), 500)).status, "still serving");
    }

    @Test
    void overTheConnectionCapANewConnectionIsClosedAtOnceAtTheDefault() throws Exception {
        int port = start(new ServeSettings());
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 1_024; i++) {
                held.add(new Socket("127.0.0.1", port));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (service.openConnections() < 1_024 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(1_024, service.openConnections());
            try (Socket over = new Socket("127.0.0.1", port)) {
                long start = System.nanoTime();
                long closed = closedAfterMs(over, start, Duration.ofSeconds(5));
                System.out.printf("connection 1,025 (cap 1,024) closed after %d ms%n", closed);
                assertTrue(closed >= 0 && closed < 1_000, "the connection over the cap was not closed at once: " + closed);
            }
            held.remove(0).close();
            deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (service.openConnections() >= 1_024 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(200, RawHttp.post(port, ping(servers.open(), 500)).status, "a place freed is a place again");
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void aClientThatGoesAwayCancelsItsProbes() throws Exception {
        String silent = servers.silent();
        int port = start(new ServeSettings());
        RawHttp.post(port, ping(servers.open(), 200));
        int before = OpenFiles.count();
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream().write(post(port, ping(silent, 10_000)).getBytes(StandardCharsets.UTF_8));
            Thread.sleep(300);
            assertEquals(1, watched.running.get(), "the probe is out");
        }
        long start = System.nanoTime();
        while (watched.running.get() > 0 && System.nanoTime() - start < Duration.ofSeconds(5).toNanos()) {
            Thread.sleep(10);
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(0, watched.running.get(), "the probe of a client gone is still running");
        assertEquals(1, watched.cancelled.get());
        assertTrue(settle(OpenFiles::count, before, Duration.ofSeconds(5)) <= before);
        System.out.printf("a client gone with its 10 s probe out: probe cancelled %d ms later%n", ms);
        // its place among the calls in flight is free again: four more at once are all answered
        for (int i = 0; i < 4; i++) {
            assertEquals(200, RawHttp.post(port, ping(servers.open(), 500)).status);
        }
    }
}
